using Nuclei.Core.Configuration;
using Nuclei.Core.Output;
using Nuclei.Core.PostProcessing;

namespace Nuclei;

/// <summary>
/// Which layer gave each setting of <see cref="RunFacts.SettingsOf"/> its value, keyed by the name run.json gives it:
/// the post-processing keys from the layers they were combined from (<see cref="SettingsLayers"/>), the other options
/// from whether the caller set them.
/// </summary>
internal static class RunSettingSources
{
    /// <param name="segmenter">the segmenter whose run is recorded</param>
    /// <param name="settled">the post-processing layers combined, each value with the layer that set it</param>
    /// <param name="classical">the classical method's options, when it segments (no network)</param>
    public static IReadOnlyDictionary<string, SettingSource> Of(NucleiSegmenter segmenter, PostProcessingLayer settled, ClassicalOptions? classical)
    {
        var o = segmenter.Options;
        var sources = new Dictionary<string, SettingSource>();
        void Add(string property, SettingSource source) => sources[RunRecordFile.SettingName(property)] = source;
        SettingSource Key(string key) => settled.SourceOf(key);
        static SettingSource Given(bool given) => given ? SettingSource.CommandLine : SettingSource.Default;
        // without remove_objects no size is removed, so the minimum size is as much that key's as min_object_size's
        var minSize = (SettingSource)Math.Max((int)Key("post.min_object_size"), (int)Key("post.remove_objects"));

        Add(nameof(RunSettings.Method), Given(o.Method != SegmentationMethod.Model));
        Add(nameof(RunSettings.ExcludeOnEdges), Given(o.ExcludeOnEdges));
        if (classical is not null)
        {
            // the classical method reads these two keys from the user's layer, else keeps its own defaults (no model)
            Add(nameof(RunSettings.Policy), Key("post.policy"));
            Add(nameof(RunSettings.MinObjectSize), Key("post.min_object_size"));
            return sources;
        }
        Add(nameof(RunSettings.Threshold), Key("param.threshold"));
        Add(nameof(RunSettings.ThresholdEdge), Key("param.threshold_edge"));
        Add(nameof(RunSettings.ThresholdMark), Key("param.threshold_mark"));
        Add(nameof(RunSettings.MinObjectSize), minSize);
        Add(nameof(RunSettings.Policy), Key("post.policy"));
        Add(nameof(RunSettings.Markers), Key("post.markers"));
        Add(nameof(RunSettings.FillHoles), Key("post.fill_holes"));
        foreach (var option in SegmenterOptions.NetworkOnly)
            if (option.RunName is { } name) sources[name] = Given(option.IsSet(o));
        if (segmenter.Model?.ModelDiameters is not null) Add(nameof(RunSettings.ModelDiameter), SettingSource.Checkpoint);
        return sources;
    }
}
