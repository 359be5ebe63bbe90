using System.Globalization;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Export;

/// <summary>
/// The metadata_props of an exported model: what a consumer (Fiji, QuPath, napari, CellProfiler, a script) needs to
/// feed it as nuclei feeds it and to read its outputs: the input normalisation of the checkpoint's [pre] section
/// (<see cref="CheckpointModels.NormalizationOf"/>), the size multiple, the heads in output order, the training
/// diameter and the post-processing thresholds. Keys start with "nuclei."; numbers are invariant-culture text, lists
/// comma-separated.
/// </summary>
internal static class OnnxMetadata
{
    /// <summary>What the network alone says: model name, heads (the outputs, in order), input channels, size multiple.</summary>
    public static IReadOnlyDictionary<string, string> OfNetwork(SegmentationNet net) => new Dictionary<string, string>
    {
        ["nuclei.model"] = net.ModelName,
        ["nuclei.encoder"] = net.Options.Encoder,
        ["nuclei.heads"] = string.Join(",", net.Heads.Select(h => h.ToString().ToLowerInvariant())),
        ["nuclei.in_channels"] = Text(net.Options.InChannels),
        ["nuclei.size_multiple"] = Text(net.SizeMultiple),
    };

    /// <summary>The network's keys and those of its checkpoint's configuration (preprocessing, training size and diameter, thresholds).</summary>
    public static IReadOnlyDictionary<string, string> Of(LoadedCheckpoint checkpoint, CheckpointSettings settings)
    {
        var d = new Dictionary<string, string>(OfNetwork(checkpoint.Net));
        var n = CheckpointModels.NormalizationOf(settings);
        d["nuclei.pre.normalize"] = n.PerImagePercentile ? "percentile" : "channel";
        d["nuclei.pre.mean"] = string.Join(",", n.Mean.Select(Text));
        d["nuclei.pre.std"] = string.Join(",", n.Std.Select(Text));
        d["nuclei.pre.percentile_low"] = Text(n.PercentileLow);
        d["nuclei.pre.percentile_high"] = Text(n.PercentileHigh);
        d["nuclei.pre.grey_input"] = n.Grey ? "true" : "false";
        d["nuclei.preprocessing"] = Describe(checkpoint.Net, n.PerImagePercentile, n.Grey);
        d["nuclei.training_width"] = Text(settings.GetInt("param", "width", min: 1, max: 8192));
        if (checkpoint.Info.MedianDiameter is double median) d["nuclei.training_diameter_px"] = Text(median);
        d["nuclei.post.threshold"] = Text(settings.GetDouble("param", "threshold", min: 0, max: 1));
        d["nuclei.post.threshold_edge"] = Text(settings.GetDouble("param", "threshold_edge", min: 0, max: 1));
        d["nuclei.post.threshold_mark"] = Text(settings.GetDouble("param", "threshold_mark", min: 0, max: 1));
        d["nuclei.source"] = Path.GetFileName(checkpoint.Path);
        return d;
    }

    /// <summary>The recipe in words, as <see cref="InputPreparation"/> and <see cref="Core.Augmentation.Normalization"/> carry it out.</summary>
    private static string Describe(SegmentationNet net, bool percentile, bool grey) =>
        $"pixel values scaled to 0..1 (8-bit /255, 16-bit /65535); {net.Options.InChannels} channels (gray replicated to RGB, alpha dropped); " +
        (grey ? "colour reduced to its luminance 0.299 R + 0.587 G + 0.114 B, written to every channel; " : "") +
        (percentile
            ? $"each image stretched so that its nuclei.pre.percentile_low and nuclei.pre.percentile_high percentiles ({(grey ? "of the luminance" : "over all channels' samples")}, from a 4096-bin histogram over the image's own range) map to 0 and 1, then "
            : "") +
        "per channel (x - mean[c]) / std[c] with nuclei.pre.mean and nuclei.pre.std; planar [N, C, H, W]; " +
        $"height and width padded on the bottom/right (reflect) to multiples of {net.SizeMultiple}, the outputs cropped back; " +
        "nuclei at about nuclei.training_diameter_px pixels across segment best";

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);
}
