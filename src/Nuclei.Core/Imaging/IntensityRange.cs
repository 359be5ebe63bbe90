namespace Nuclei.Core.Imaging;

/// <summary>
/// The sample values at an image's low and high intensity percentiles, which percentile normalisation stretches to
/// 0 and 1. Measured once over a whole slide, it normalises every block of that slide alike, as the whole image
/// would have been normalised (a block's own percentiles depend on how much background it holds).
/// </summary>
public readonly record struct IntensityRange(float Low, float High);
