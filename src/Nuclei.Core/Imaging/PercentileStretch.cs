namespace Nuclei.Core.Imaging;

/// <summary>
/// How a per-image percentile normalisation measures an image: the low and high percentiles that map to 0 and 1, taken
/// over all samples, or over the luminance when the network sees images as grey. A block of a larger image is stretched
/// by the whole image's values, measured once this way.
/// </summary>
public readonly record struct PercentileStretch(double Low, double High, bool OfLuminance = false);
