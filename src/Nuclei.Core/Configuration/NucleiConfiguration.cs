using System.Globalization;
using System.Text;

namespace Nuclei.Core.Configuration;

/// <summary>
/// The effective configuration: defaults, then a user INI, then command-line overrides, already checked
/// (every key exists in the defaults and every value has the default's type). Read values with the typed
/// getters; <see cref="ToIni"/> gives the text that is printed at start and saved with each checkpoint.
/// </summary>
internal sealed class NucleiConfiguration
{
    readonly IReadOnlyList<ConfigKey> _keys;                     // in the defaults file's order
    readonly Dictionary<string, string> _values;                 // "section:key" → value

    /// <summary>Where the values came from, lowest priority first (for the printed header).</summary>
    public IReadOnlyList<string> Sources { get; }

    internal NucleiConfiguration(IReadOnlyList<ConfigKey> keys, Dictionary<string, string> values, IReadOnlyList<string> sources,
        IReadOnlyDictionary<string, SettingSource> userSources)
    {
        _keys = keys; _values = values; Sources = sources; UserSources = userSources;
    }

    /// <summary>
    /// The values a user INI or an override set (even to the default's value), as (section, key, value) in the defaults'
    /// order: what must win over another layer, such as the configuration saved in a checkpoint. Each with the layer
    /// that set it last (<see cref="SettingSource.Config"/> or <see cref="SettingSource.CommandLine"/>).
    /// </summary>
    public IEnumerable<(string Section, string Key, string Value, SettingSource Source)> UserValues =>
        _keys.Where(k => UserSources.ContainsKey(k.Id)).Select(k => (k.Section, k.Key, _values[k.Id], UserSources[k.Id]));

    /// <summary>True when the user INI or a command-line override gave this key (even to its default value).</summary>
    public bool IsSetByUser(string section, string key) => UserSources.ContainsKey(ConfigKey.MakeId(section, key));

    public IEnumerable<string> SectionNames => _keys.Select(k => k.Section).Distinct(StringComparer.OrdinalIgnoreCase);

    public bool Has(string section, string key) => _values.ContainsKey(ConfigKey.MakeId(section, key));

    /// <summary>All keys and values of one section (e.g. the options of one model).</summary>
    public IReadOnlyDictionary<string, string> Section(string section) =>
        _keys.Where(k => k.Section.Equals(section, StringComparison.OrdinalIgnoreCase))
             .ToDictionary(k => k.Key, k => _values[k.Id], StringComparer.OrdinalIgnoreCase);

    public string GetString(string section, string key) =>
        _values.TryGetValue(ConfigKey.MakeId(section, key), out var v) ? v
        : throw new KeyNotFoundException($"configuration has no key [{section}] {key} (add it to config/default.ini)");

    public bool GetBool(string section, string key) => bool.Parse(GetString(section, key).Trim());

    public int GetInt(string section, string key) => checked((int)long.Parse(GetString(section, key).Trim(), CultureInfo.InvariantCulture));

    public double GetDouble(string section, string key) => double.Parse(GetString(section, key).Trim(), CultureInfo.InvariantCulture);

    public double[] GetDoubles(string section, string key)
    {
        ConfigValueKinds.TryParseList(GetString(section, key), out var list);
        return list;
    }

    /// <summary>A comma-separated text value as a list (empty entries dropped).</summary>
    public string[] GetList(string section, string key) =>
        GetString(section, key).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A copy with more overrides applied (same checks as on the command line).</summary>
    public NucleiConfiguration With(params string[] overrides) =>
        ConfigurationLoader.ApplyOverrides(this, _keys, _values, overrides);

    /// <summary>The effective configuration as INI text (sections and keys in the defaults' order).</summary>
    public string ToIni()
    {
        var sb = new StringBuilder();
        sb.AppendLine("; effective configuration of nuclei");
        foreach (var s in Sources) sb.AppendLine("; from " + s);
        string? section = null;
        foreach (var k in _keys)
        {
            if (!k.Section.Equals(section, StringComparison.OrdinalIgnoreCase))
            {
                if (section != null) sb.AppendLine();
                sb.AppendLine($"[{k.Section}]");
                section = k.Section;
            }
            sb.AppendLine($"{k.Key} = {_values[k.Id]}");
        }
        return sb.ToString();
    }

    /// <summary>"section:key" of each value the user set → the layer that set it last.</summary>
    internal IReadOnlyDictionary<string, SettingSource> UserSources { get; }
    internal IReadOnlyList<ConfigKey> Keys => _keys;
    internal IReadOnlyDictionary<string, string> Values => _values;
}

/// <summary>One key of the defaults file with the type its default value declares.</summary>
internal sealed record ConfigKey(string Section, string Key, ConfigValueKind Kind)
{
    public string Id => MakeId(Section, Key);
    public static string MakeId(string section, string key) => section.Trim().ToLowerInvariant() + ":" + key.Trim().ToLowerInvariant();
}
