using System.Globalization;
using Nuclei.Core.Settings;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// One post-processing setting, described once (in <see cref="PartitionOptions.Keys"/>): its INI key, how its text
/// is read and written, where it lands in <see cref="PartitionOptions"/>, and, for a setting users give on the command
/// line, its <see cref="Setting"/> and help. The reader of saved configurations, the command-line options of segment,
/// partition and serve, their help defaults and the library's <c>PostProcessingSettings</c> all walk this table.
/// </summary>
internal abstract class PostProcessingKey(string section, string key)
{
    public string Section { get; } = section;
    public string Key { get; } = key;

    /// <summary>"section.key", as configuration layers name it.</summary>
    public string IniKey => $"{Section}.{Key}";

    /// <summary>The option users give it by (its flag is <c>--</c> and the name); null: set in configuration files only.</summary>
    public Setting? Setting { get; init; }

    /// <summary>The start of its option's help; the front end appends where an unset value comes from.</summary>
    public string Help { get; init; } = "";

    /// <summary>Which group of options it is listed in (and in which order, within the table's order).</summary>
    public PostProcessingGroup Group { get; init; }

    /// <summary>A name from a list (policy, markers): an empty value in a saved configuration reads as config/default.ini's, as text settings do; an empty number or flag is an error.</summary>
    public bool EmptyReadsDefault { get; init; }

    /// <summary>Only the network's post-processing reads it: refused with the classical method.</summary>
    public bool NetworkOnly { get; init; }

    /// <summary>The typed value of <paramref name="text"/>, or null with <paramref name="expected"/> saying what was expected.</summary>
    public abstract object? Parse(string text, out string expected);

    /// <summary>A typed value as configuration text (what <see cref="Parse"/> reads back).</summary>
    public abstract string Format(object value);

    /// <summary><paramref name="options"/> with this setting at <paramref name="value"/> (from <see cref="Parse"/>).</summary>
    public abstract PartitionOptions Apply(PartitionOptions options, object value);

    /// <summary>The value <paramref name="options"/> hold, as text (help defaults).</summary>
    public abstract string Show(PartitionOptions options);
}

/// <summary>Where a post-processing option is listed among a command's options.</summary>
internal enum PostProcessingGroup
{
    /// <summary>How touching nuclei are split (policy, markers).</summary>
    Splitting,
    /// <summary>Thresholds and sizes.</summary>
    Thresholds,
}

/// <summary>A setting of type <typeparamref name="T"/>, read and written by the given functions.</summary>
internal sealed class PostProcessingKey<T>(string section, string key, PostProcessingKey<T>.Reader read, Func<T, string> write,
    Func<PartitionOptions, T, PartitionOptions> apply, Func<PartitionOptions, T> get) : PostProcessingKey(section, key) where T : notnull
{
    /// <summary>Parses text; false with what was expected.</summary>
    public delegate bool Reader(string text, out T value, out string expected);

    public override object? Parse(string text, out string expected) => read(text.Trim(), out var v, out expected) ? v : null;
    public override string Format(object value) => write((T)value);
    public override PartitionOptions Apply(PartitionOptions options, object value) => apply(options, (T)value);
    public override string Show(PartitionOptions options) => write(get(options));
}

/// <summary>Readers and writers of the kinds of value post-processing settings take.</summary>
internal static class PostProcessingValues
{
    public static bool Unit(string text, out float value, out string expected)
    {
        expected = "a number within 0..1";
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0 && value <= 1;
    }

    public static bool Count(string text, out int value, out string expected)
    {
        expected = "an integer within 0..2147483647";
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= 0;
    }

    public static bool Flag(string text, out bool value, out string expected)
    {
        expected = "True or False";
        return bool.TryParse(text, out value);
    }

    public static bool Policy(string text, out SplitPolicy value, out string expected)
    {
        expected = "ws or rw";
        return SplitPolicyNames.TryParse(text, out value);
    }

    public static bool Markers(string text, out MarkerSource value, out string expected)
    {
        expected = "auto, marker, contour or peaks";
        return MarkerSourceNames.TryParse(text, out value);
    }

    public static string Write(float v) => v.ToString("R", CultureInfo.InvariantCulture);
    public static string Write(int v) => v.ToString(CultureInfo.InvariantCulture);
    public static string Write(bool v) => v ? "True" : "False";
}
