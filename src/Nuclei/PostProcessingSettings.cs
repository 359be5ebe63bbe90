using System.Collections.Immutable;
using Nuclei.Core;
using Nuclei.Core.PostProcessing;
using Nuclei.Core.Configuration;
using Nuclei.Core.Settings;

namespace Nuclei;

/// <summary>
/// Post-processing settings named as their keys in config/default.ini; a null property keeps the value of the layer
/// below (the model's saved configuration, else config/default.ini).
/// </summary>
public sealed record PostProcessingSettings
{
    // The values set, by INI key of PartitionOptions.Keys, typed as that key parses them; the properties are views of it,
    // so a key without a property of its own (set by its command-line option) travels the same way.
    private ImmutableDictionary<string, object> _values = ImmutableDictionary.Create<string, object>(StringComparer.OrdinalIgnoreCase);

    /// <summary>[param] threshold: body pixels have a semantic probability above this (0..1).</summary>
    public float? Threshold { get => Get<float>("param.threshold"); init => Set("param.threshold", value); }

    /// <summary>[param] threshold_edge: contour pixels have a contour probability above this (0..1).</summary>
    public float? ThresholdEdge { get => Get<float>("param.threshold_edge"); init => Set("param.threshold_edge", value); }

    /// <summary>[param] threshold_mark: marker pixels have a marker probability above this (0..1).</summary>
    public float? ThresholdMark { get => Get<float>("param.threshold_mark"); init => Set("param.threshold_mark", value); }

    /// <summary>[post] min_object_size: nuclei with fewer pixels are dropped.</summary>
    public int? MinObjectSize { get => Get<int>("post.min_object_size"); init => Set("post.min_object_size", value); }

    /// <summary>[post] policy: how touching nuclei are split (watershed or random walker).</summary>
    public SplitPolicy? Policy { get => Get<SplitPolicy>("post.policy"); init => Set("post.policy", value); }

    /// <summary>[post] markers: where the markers (starting points) of the split come from.</summary>
    public MarkerSource? Markers { get => Get<MarkerSource>("post.markers"); init => Set("post.markers", value); }

    T? Get<T>(string key) where T : struct => _values.TryGetValue(key, out var v) ? (T)v : null;

    void Set<T>(string key, T? value) where T : struct => _values = value is { } v ? _values.SetItem(key, v) : _values.Remove(key);

    /// <summary>Whether <paramref name="key"/> is set.</summary>
    internal bool IsSet(PostProcessingKey key) => _values.ContainsKey(key.IniKey);

    /// <summary>These settings with <paramref name="key"/> at <paramref name="value"/> (typed as <see cref="PostProcessingKey.Parse"/> returns it).</summary>
    internal PostProcessingSettings With(PostProcessingKey key, object value) => this with { _values = _values.SetItem(key.IniKey, value) };

    /// <summary>These settings where set, <paramref name="lower"/>'s elsewhere.</summary>
    public PostProcessingSettings Over(PostProcessingSettings lower) => this with { _values = lower._values.SetItems(_values) };

    /// <summary>
    /// <paramref name="text"/> read as <paramref name="key"/>'s value (null text: unchanged); a value it cannot take is
    /// an input error naming the setting.
    /// </summary>
    internal PostProcessingSettings WithText(PostProcessingKey key, string? text)
    {
        if (text is null) return this;
        if (key.Parse(text, out string expected) is { } value) return With(key, value);
        string given = UntrustedText.Clean(text);
        throw key.Setting is { } setting
            ? new NucleiInputException(null, $"{setting} must be {expected}, got '{given}'")
            : new NucleiInputException(null, $"{key.IniKey} must be {expected}, got '{given}'");
    }

    /// <summary>A --policy value (null: not set); a name other than ws or rw is an error naming the option.</summary>
    public static SplitPolicy? ParsePolicy(string? text) => new PostProcessingSettings().WithText(KeyOf("post.policy"), text).Policy;

    /// <summary>A --markers value (null: not set); an unknown name is an error naming the option.</summary>
    public static MarkerSource? ParseMarkers(string? text) => new PostProcessingSettings().WithText(KeyOf("post.markers"), text).Markers;

    static PostProcessingKey KeyOf(string iniKey) => PartitionOptions.Keys.Single(k => k.IniKey == iniKey);

    /// <summary>These settings over config/default.ini's (no model underneath).</summary>
    public PartitionOptions OverDefaults() => AsLayer().Over(PostProcessingText.Defaults).ToPartitionOptions();

    /// <summary>
    /// These settings as the top layer of settings (the named options), typed as they are: a value outside its key's
    /// range is an input error naming the key, as one read from text would be.
    /// </summary>
    internal PostProcessingLayer AsLayer()
    {
        var layer = PostProcessingLayer.Empty;
        foreach (var key in PartitionOptions.Keys)
            if (_values.TryGetValue(key.IniKey, out var value))
                layer = layer.With(key, key.Accepts(value, out string expected) ? value
                    : throw SettingsLayers.Bad(key, value is Enum ? $"{value}" : key.Format(value), expected), SettingSource.CommandLine);
        // a size given is a size applied, whatever a checkpoint's remove_objects says
        return MinObjectSize is null ? layer : layer.With(KeyOf("post.remove_objects"), true, SettingSource.CommandLine);
    }

    /// <summary>Equal when the same settings are set to the same values.</summary>
    public bool Equals(PostProcessingSettings? other) =>
        other is not null && _values.Count == other._values.Count
        && _values.All(kv => other._values.TryGetValue(kv.Key, out var v) && Equals(kv.Value, v));

    public override int GetHashCode() => _values.Count;
}
