using Nuclei.Core.Configuration;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Where post-processing settings given as text (config/default.ini, a model's saved configuration, a --config file, a
/// section.key=value argument) become typed: each value read once, by its key's reader, into a <see cref="PostProcessingLayer"/>.
/// </summary>
internal static class PostProcessingText
{
    /// <summary>config/default.ini's values: every key set, the layer under all others.</summary>
    public static PostProcessingLayer Defaults { get; } = ReadDefaults();

    /// <summary>
    /// Each text read by its key into a layer that <paramref name="source"/> sets. An empty name from a list reads as
    /// config/default.ini's (<see cref="PostProcessingKey.EmptyReadsDefault"/>); any other value the key cannot read is
    /// <paramref name="bad"/>(key, the trimmed text, what was expected), thrown.
    /// </summary>
    public static PostProcessingLayer Read(IEnumerable<(PostProcessingKey Key, string Text)> texts, SettingSource source,
        Func<PostProcessingKey, string, string, Exception> bad)
    {
        var layer = PostProcessingLayer.Empty;
        foreach (var (key, raw) in texts)
        {
            string text = raw.Trim();
            object value = key.EmptyReadsDefault && text.Length == 0
                ? Defaults.ValueOf(key)!
                : key.Parse(text, out string expected) ?? throw bad(key, text, expected);
            layer = layer.With(key, value, source);
        }
        return layer;
    }

    // not through Read: an empty value there reads as this layer's own
    static PostProcessingLayer ReadDefaults()
    {
        var defaults = ConfigurationLoader.Defaults();
        var layer = PostProcessingLayer.Empty;
        foreach (var key in PartitionOptions.Keys)
        {
            var value = key.Parse(defaults.GetString(key.Section, key.Key), out string expected)
                ?? throw new InvalidOperationException($"config/default.ini: [{key.Section}] {key.Key} must be {expected}");
            layer = layer.With(key, value, SettingSource.Default);
        }
        return layer;
    }
}
