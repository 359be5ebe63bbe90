using System.Globalization;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Reads the training configuration saved in a checkpoint (key/value pairs named "section.key") with typed
/// getters and defaults, so that prediction prepares input and post-processes exactly as training configured.
/// Missing keys fall back to config/default.ini's values (old checkpoints, hand-made ones).
/// </summary>
public sealed class CheckpointSettings
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public CheckpointSettings(IEnumerable<KeyValuePair<string, string>> configuration)
    {
        foreach (var (key, value) in configuration)
            _values[key.Replace(':', '.')] = value;
    }

    public string? Get(string section, string key) =>
        _values.TryGetValue($"{section}.{key}", out var v) ? v.Trim() : null;

    public string GetString(string section, string key, string fallback) => Get(section, key) is { Length: > 0 } v ? v : fallback;

    public double GetDouble(string section, string key, double fallback) =>
        double.TryParse(Get(section, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    public int GetInt(string section, string key, int fallback) =>
        int.TryParse(Get(section, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    public bool GetBool(string section, string key, bool fallback) =>
        bool.TryParse(Get(section, key), out var v) ? v : fallback;

    /// <summary>A list value such as "[0.5, 0.5, 0.5]" (brackets optional).</summary>
    public double[] GetDoubles(string section, string key, double[] fallback)
    {
        string? text = Get(section, key);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        var parts = text.Trim().TrimStart('[').TrimEnd(']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])) return fallback;
        return values.Length > 0 ? values : fallback;
    }
}
