using Nuclei.Core;
using Nuclei.Core.Augmentation;

namespace Nuclei.Torch.Export;

/// <summary>
/// A checkpoint's input normalisation as bioimage.io preprocessing steps (model format 0.5, "inputs.i.preprocessing":
/// scale_range, fixed_zero_mean_unit_variance, ensure_dtype), which a consumer applies to the raw image tensor.
/// Per-image percentiles map to scale_range over the channel, y and x axes jointly, as <see cref="Normalization"/>
/// takes them over all samples; it is invariant to the raw scale, so 8- and 16-bit images need nothing more. A
/// per-channel mean and std after it map to fixed_zero_mean_unit_variance along the channel axis. Normalisation by
/// mean and std alone is refused: nuclei applies it after scaling by the file's bit depth (/255, /65535), which the
/// tensor a consumer passes does not carry.
/// </summary>
internal static class BioImageIoPreprocessing
{
    /// <summary>One step: its id and its kwargs (values: numbers, strings or lists of them), in the order written.</summary>
    public sealed record Step(string Id, IReadOnlyList<(string Key, object Value)> Kwargs);

    public static IReadOnlyList<Step> Of(Normalization n, int channels, string checkpoint)
    {
        if (!n.PerImagePercentile)
            throw new NucleiInputException(checkpoint,
                "its input normalisation (pre.normalize = channel: mean and std after dividing by the file's bit depth) has no bioimage.io " +
                "preprocessing that gives the same input for 8- and 16-bit images; export --format onnx (its metadata says how to normalise)");
        if (n.Grey && channels >= 3)
            throw new NucleiInputException(checkpoint,
                "it sees images as grey (pre.grey_input = True: colour reduced to its luminance), which no bioimage.io preprocessing step " +
                "computes; export --format onnx (its metadata says how to prepare the input)");
        var steps = new List<Step>
        {
            new("scale_range", [("axes", new[] { "channel", "y", "x" }), ("min_percentile", n.PercentileLow), ("max_percentile", n.PercentileHigh)]),
        };
        double[] mean = PerChannel(n.Mean, channels), std = PerChannel(n.Std, channels);
        if (mean.Any(m => m != 0) || std.Any(s => s != 1))
            steps.Add(new("fixed_zero_mean_unit_variance", [("axis", "channel"), ("mean", mean), ("std", std)]));
        steps.Add(new("ensure_dtype", [("dtype", "float32")]));
        return steps;
    }

    /// <summary>One value per channel, the last repeated as <see cref="Normalization.ToPlanar(Core.Imaging.FloatImage)"/> repeats it.</summary>
    static double[] PerChannel(double[] values, int channels) =>
        Enumerable.Range(0, channels).Select(c => values[Math.Min(c, values.Length - 1)]).ToArray();
}
