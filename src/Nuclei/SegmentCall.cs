using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;

namespace Nuclei;

/// <summary>
/// What one call of <see cref="NucleiSegmenter.Segment(FloatImage, SegmentCall)"/> (or
/// <see cref="NucleiSegmenter.Predict"/>) sets for its image alone, over the options the segmenter was loaded with:
/// a server that segments each upload at its own diameter and thresholds loads one segmenter and passes these.
/// </summary>
public sealed record SegmentCall
{
    /// <summary>The nuclei's diameter in this image (null: the segmenter's <see cref="SegmenterOptions.Diameter"/>).</summary>
    public Diameter? Diameter { get; init; }

    /// <summary>Post-processing for this image, over the segmenter's (null: the segmenter's).</summary>
    public PostProcessingSettings? PostProcessing { get; init; }

    /// <summary>Names the image in errors.</summary>
    public string? Source { get; init; }

    /// <summary>When the image is a block of a larger image: that image (see <see cref="NucleiSegmenter.NormalizationPercentiles"/>).</summary>
    public WholeImage? WholeImage { get; init; }

    /// <summary>Cancellation and fraction done (the classical method only checks it before starting).</summary>
    public InferenceProgress? Progress { get; init; }
}
