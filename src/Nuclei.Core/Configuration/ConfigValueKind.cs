using System.Globalization;

namespace Nuclei.Core.Configuration;

/// <summary>
/// The type of a configuration key, taken from its value in the defaults file: a user value must parse as
/// the same kind (an integer key never silently becomes text).
/// </summary>
internal enum ConfigValueKind { Bool, Int, Number, NumberList, Text }

internal static class ConfigValueKinds
{
    /// <summary>The kind a default value declares: True/False, an integer, a number, a [list] of numbers, or text.</summary>
    public static ConfigValueKind Infer(string defaultValue)
    {
        string v = defaultValue.Trim();
        if (bool.TryParse(v, out _)) return ConfigValueKind.Bool;
        if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) return ConfigValueKind.Int;
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return ConfigValueKind.Number;
        if (v.StartsWith('[') && v.EndsWith(']') && TryParseList(v, out _)) return ConfigValueKind.NumberList;
        return ConfigValueKind.Text;
    }

    /// <summary>Whether <paramref name="value"/> is a valid value of <paramref name="kind"/>.</summary>
    public static bool Accepts(ConfigValueKind kind, string value)
    {
        string v = value.Trim();
        return kind switch
        {
            ConfigValueKind.Bool => bool.TryParse(v, out _),
            ConfigValueKind.Int => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            ConfigValueKind.Number => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d),
            ConfigValueKind.NumberList => TryParseList(v, out _),
            _ => true,
        };
    }

    public static string Describe(ConfigValueKind kind) => kind switch
    {
        ConfigValueKind.Bool => "True or False",
        ConfigValueKind.Int => "an integer",
        ConfigValueKind.Number => "a number",
        ConfigValueKind.NumberList => "a list of numbers like [0.5, 0.5, 0.5]",
        _ => "text",
    };

    /// <summary>Parses "[a, b, c]" (brackets optional) into numbers.</summary>
    public static bool TryParseList(string value, out double[] numbers)
    {
        string v = value.Trim();
        if (v.StartsWith('[')) v = v[1..];
        if (v.EndsWith(']')) v = v[..^1];
        var parts = v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        numbers = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])) return false;
        return parts.Length > 0;
    }
}
