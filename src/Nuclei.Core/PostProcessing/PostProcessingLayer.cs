using System.Collections.Immutable;
using Nuclei.Core.Configuration;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// One layer of post-processing settings (config/default.ini, a model's saved configuration, a --config file, the
/// section.key=value arguments, the named options), or several combined: values typed as their keys read them
/// (<see cref="PartitionOptions.Keys"/>), each with the layer that set it. Text is read into a layer once, where it
/// enters (<see cref="PostProcessingText"/>); layers combine by <see cref="Over"/>, never as text.
/// </summary>
internal sealed class PostProcessingLayer
{
    readonly ImmutableDictionary<string, (object Value, SettingSource Source)> _values;

    PostProcessingLayer(ImmutableDictionary<string, (object Value, SettingSource Source)> values) => _values = values;

    /// <summary>A layer that sets nothing.</summary>
    public static PostProcessingLayer Empty { get; } = new(ImmutableDictionary.Create<string, (object, SettingSource)>(StringComparer.OrdinalIgnoreCase));

    /// <summary>This layer with <paramref name="key"/> at <paramref name="value"/> (typed as <see cref="PostProcessingKey.Parse"/> returns it), set by <paramref name="source"/>.</summary>
    public PostProcessingLayer With(PostProcessingKey key, object value, SettingSource source) => new(_values.SetItem(key.IniKey, (value, source)));

    /// <summary>This layer's values where it sets them, <paramref name="lower"/>'s elsewhere.</summary>
    public PostProcessingLayer Over(PostProcessingLayer lower) => new(lower._values.SetItems(_values));

    /// <summary>The keys this layer sets, in the order of <see cref="PartitionOptions.Keys"/>.</summary>
    public IEnumerable<PostProcessingKey> Keys => PartitionOptions.Keys.Where(k => _values.ContainsKey(k.IniKey));

    /// <summary>The value of <paramref name="key"/>, or null where this layer does not set it.</summary>
    public object? ValueOf(PostProcessingKey key) => _values.TryGetValue(key.IniKey, out var v) ? v.Value : null;

    /// <summary>The layer that set "section.key"; a key no layer set is config/default.ini's.</summary>
    public SettingSource SourceOf(string iniKey) => _values.TryGetValue(iniKey, out var v) ? v.Source : SettingSource.Default;

    /// <summary>
    /// The options these values give, the others at <see cref="PartitionOptions"/>' own defaults; applied in the order
    /// of <see cref="PartitionOptions.Keys"/> (a size is set before <c>remove_objects</c> can clear it).
    /// </summary>
    public PartitionOptions ToPartitionOptions() => Keys.Aggregate(new PartitionOptions(), (o, k) => k.Apply(o, _values[k.IniKey].Value));
}
