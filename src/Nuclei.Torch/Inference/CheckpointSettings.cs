using System.Globalization;
using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Training;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Reads the training configuration saved in a checkpoint (key/value pairs named "section.key") with typed
/// getters, so that prediction prepares input and post-processes exactly as training configured.
/// A missing key falls back to config/default.ini's value (old checkpoints, hand-made ones); a key that is present
/// but malformed or out of range is an error naming the key and <see cref="Source"/> (never a silent default:
/// the checkpoint may come from anywhere).
/// </summary>
internal sealed class CheckpointSettings
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>config/default.ini's values: what a key missing from the configuration reads.</summary>
    private static readonly Dictionary<string, string> Defaults = new(
        SavedConfiguration.Pairs(ConfigurationLoader.Defaults()).Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value.Trim())),
        StringComparer.OrdinalIgnoreCase);

    /// <param name="source">where the configuration comes from (the checkpoint file), named in errors</param>
    public CheckpointSettings(IEnumerable<KeyValuePair<string, string>> configuration, string source = "configuration")
    {
        Source = source;
        foreach (var (key, value) in configuration)
            _values[SavedConfiguration.KeyOf(key)] = value ?? "";
    }

    /// <summary>The checkpoint file (or "configuration" for a training run's own settings).</summary>
    public string Source { get; }

    /// <summary>Whether the configuration gives "section.key" a value of its own (an empty one reads as config/default.ini's).</summary>
    internal bool Holds(string key) => _values.TryGetValue(SavedConfiguration.KeyOf(key), out var v) && v.Trim().Length > 0;

    /// <summary>Whether the configuration names "section.key" at all, even with an empty value.</summary>
    internal bool Mentions(string key) => _values.ContainsKey(SavedConfiguration.KeyOf(key));

    /// <summary>The saved value, else config/default.ini's; a key default.ini does not hold is a programming error.</summary>
    public string Get(string section, string key) =>
        _values.TryGetValue($"{section}.{key}", out var v) ? v.Trim() : DefaultOf(section, key);

    /// <summary>The saved text; an empty one reads as config/default.ini's.</summary>
    public string GetString(string section, string key) => Get(section, key) is { Length: > 0 } v ? v : DefaultOf(section, key);

    private static string DefaultOf(string section, string key) => Defaults.TryGetValue($"{section}.{key}", out var d)
        ? d : throw new ArgumentException($"[{section}] {key} is not a setting of config/default.ini");

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in lower case.</summary>
    public string GetChoice(string section, string key, params string[] allowed)
    {
        string value = GetString(section, key).ToLowerInvariant();
        return allowed.Contains(value) ? value : throw Bad(section, key, $"one of {string.Join(", ", allowed)}");
    }

    /// <summary>A finite number within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public double GetDouble(string section, string key, double min = double.MinValue, double max = double.MaxValue) =>
        double.TryParse(Get(section, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw Bad(section, key, $"a number within {Show(min)}..{Show(max)}");

    public int GetInt(string section, string key, int min = int.MinValue, int max = int.MaxValue) =>
        int.TryParse(Get(section, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw Bad(section, key, $"an integer within {Show(min)}..{Show(max)}");

    public bool GetBool(string section, string key) =>
        bool.TryParse(Get(section, key), out var v) ? v : throw Bad(section, key, "True or False");

    /// <summary>A list value such as "[0.5, 0.5, 0.5]" (brackets optional) of finite numbers within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public double[] GetDoubles(string section, string key, double min = double.MinValue, double max = double.MaxValue) =>
        ConfigValueKinds.TryParseList(Get(section, key), out var values) && values.All(v => v >= min && v <= max)
            ? values
            : throw Bad(section, key, $"a list of numbers within {Show(min)}..{Show(max)}, like [0.5, 0.5, 0.5]");

    /// <summary>The error for a present but unusable value: names the file, the key and what was expected; the value is shown cleaned.</summary>
    public NucleiInputException Bad(string section, string key, string expected) =>
        new(Source, $"[{section}] {key} = '{UntrustedText.Clean(Get(section, key))}': expected {expected}");

    private static string Show(double v) => v switch
    {
        double.MinValue or int.MinValue => "-∞",
        double.MaxValue or int.MaxValue => "∞",
        _ => v.ToString(CultureInfo.InvariantCulture),
    };
}
