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

    /// <summary>
    /// Whether a typed value (set in code, never read from text) is one <see cref="Parse"/> could have returned, with
    /// <paramref name="expected"/> saying what is.
    /// </summary>
    public abstract bool Accepts(object value, out string expected);

    /// <summary>A typed value as configuration text (what <see cref="Parse"/> reads back): help defaults and error messages.</summary>
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

/// <summary>A setting of type <typeparamref name="T"/>, of the given kind.</summary>
internal sealed class PostProcessingKey<T>(string section, string key, PostProcessingKind<T> kind,
    Func<PartitionOptions, T, PartitionOptions> apply, Func<PartitionOptions, T> get) : PostProcessingKey(section, key) where T : notnull
{
    public override object? Parse(string text, out string expected)
    {
        expected = kind.Expected;
        return kind.TryRead(text.Trim(), out var v) ? v : null;
    }

    public override bool Accepts(object value, out string expected)
    {
        expected = kind.Expected;
        return value is T v && kind.Accepts(v);
    }

    public override string Format(object value) => kind.Write((T)value);
    public override PartitionOptions Apply(PartitionOptions options, object value) => apply(options, (T)value);
    public override string Show(PartitionOptions options) => kind.Write(get(options));
}

/// <summary>The kinds of value post-processing settings take.</summary>
internal static class PostProcessingValues
{
    public static readonly PostProcessingKind<float> Unit = new("a number within 0..1",
        (string text, out float v) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out v),
        v => v >= 0 && v <= 1, v => v.ToString("R", CultureInfo.InvariantCulture));

    public static readonly PostProcessingKind<int> Count = new("an integer within 0..2147483647",
        (string text, out int v) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out v),
        v => v >= 0, v => v.ToString(CultureInfo.InvariantCulture));

    public static readonly PostProcessingKind<bool> Flag = new("True or False", bool.TryParse, _ => true, v => v ? "True" : "False");

    public static readonly PostProcessingKind<SplitPolicy> Policy = new("ws or rw", SplitPolicyNames.TryParse, Enum.IsDefined, v => v.ShortName());

    public static readonly PostProcessingKind<MarkerSource> Markers = new("auto, marker, contour or peaks", MarkerSourceNames.TryParse,
        Enum.IsDefined, v => v.ShortName());
}
