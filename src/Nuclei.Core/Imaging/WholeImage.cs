namespace Nuclei.Core.Imaging;

/// <summary>
/// The image a part (a block of a slide) is cut from, for what a whole-image run decides over the whole image: the
/// prediction mode (tiles above a size) and, for models normalised by per-image percentiles, the intensity range.
/// </summary>
/// <param name="Range">the whole image's values at the model's normalisation percentiles; null when not measured</param>
public readonly record struct WholeImage(int Height, int Width, IntensityRange? Range)
{
    public long Pixels => (long)Height * Width;
}
