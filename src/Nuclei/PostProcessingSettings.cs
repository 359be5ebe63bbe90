using System.Globalization;
using Nuclei.Core;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;
using Nuclei.Core.Settings;

namespace Nuclei;

/// <summary>
/// Post-processing settings named as their keys in config/default.ini; a null property keeps the value of the layer
/// below (the model's saved configuration, else config/default.ini).
/// </summary>
public sealed record PostProcessingSettings
{
    /// <summary>[param] threshold: body pixels have a semantic probability above this (0..1).</summary>
    public float? Threshold { get; init; }

    /// <summary>[param] threshold_edge: contour pixels have a contour probability above this (0..1).</summary>
    public float? ThresholdEdge { get; init; }

    /// <summary>[param] threshold_mark: marker pixels have a marker probability above this (0..1).</summary>
    public float? ThresholdMark { get; init; }

    /// <summary>[post] min_object_size: nuclei with fewer pixels are dropped.</summary>
    public int? MinObjectSize { get; init; }

    /// <summary>[post] policy: how touching nuclei are split (watershed or random walker).</summary>
    public SplitPolicy? Policy { get; init; }

    /// <summary>[post] markers: where the markers (starting points) of the split come from.</summary>
    public MarkerSource? Markers { get; init; }

    /// <summary>These settings where set, <paramref name="lower"/>'s elsewhere.</summary>
    public PostProcessingSettings Over(PostProcessingSettings lower) => new()
    {
        Threshold = Threshold ?? lower.Threshold,
        ThresholdEdge = ThresholdEdge ?? lower.ThresholdEdge,
        ThresholdMark = ThresholdMark ?? lower.ThresholdMark,
        MinObjectSize = MinObjectSize ?? lower.MinObjectSize,
        Policy = Policy ?? lower.Policy,
        Markers = Markers ?? lower.Markers,
    };

    /// <summary>A --policy value (null: not set); a name other than ws or rw is an error naming the option.</summary>
    public static SplitPolicy? ParsePolicy(string? text) => text is null ? null
        : SplitPolicyNames.TryParse(text, out var p) ? p : throw new NucleiInputException(null, $"{Setting.Policy} must be ws or rw, got '{UntrustedText.Clean(text)}'");

    /// <summary>A --markers value (null: not set); an unknown name is an error naming the option.</summary>
    public static MarkerSource? ParseMarkers(string? text) => text is null ? null
        : MarkerSourceNames.TryParse(text, out var m) ? m : throw new NucleiInputException(null, $"{Setting.Markers} must be auto, marker, contour or peaks, got '{UntrustedText.Clean(text)}'");

    /// <summary>These settings over config/default.ini's (no model underneath), read by the one reader of post-processing settings.</summary>
    public PartitionOptions OverDefaults() =>
        CheckpointModels.PartitionOptionsOf(SettingsLayers.Merge([], SettingsLayers.UserLayer(new SegmenterOptions { PostProcessing = this }), "command line"));

    /// <summary>The set values as section.key=value overrides, the form every layer of settings is read in.</summary>
    internal IEnumerable<string> ToOverrides()
    {
        static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        if (Threshold is float t) yield return "param.threshold=" + F(t);
        if (ThresholdEdge is float e) yield return "param.threshold_edge=" + F(e);
        if (ThresholdMark is float m) yield return "param.threshold_mark=" + F(m);
        if (MinObjectSize is int s)
        {
            yield return "post.min_object_size=" + s.ToString(CultureInfo.InvariantCulture);
            yield return "post.remove_objects=True"; // a size given is a size applied, whatever a checkpoint's remove_objects says
        }
        if (Policy is SplitPolicy p) yield return "post.policy=" + p.ShortName();
        if (Markers is MarkerSource k) yield return "post.markers=" + k.ShortName();
    }
}
