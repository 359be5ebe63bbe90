namespace Nuclei.Core.Imaging;

/// <summary>
/// The image a part (a block of a slide) is cut from, for what a whole-image run decides over the whole image: the
/// prediction mode (tiles above a size), where the tile seams go and, for models normalised by per-image percentiles,
/// the intensity range.
/// </summary>
/// <param name="Range">the whole image's values at the model's normalisation percentiles; null when not measured</param>
/// <param name="PartTop">row of the whole image where the part begins</param>
/// <param name="PartLeft">column of the whole image where the part begins</param>
public readonly record struct WholeImage(int Height, int Width, IntensityRange? Range, int PartTop = 0, int PartLeft = 0)
{
    public long Pixels => (long)Height * Width;

    /// <summary>
    /// The same whole image and part, resized by <paramref name="factor"/> (sizes and positions rounded to the nearest
    /// pixel); the part, now <paramref name="partHeight"/>×<paramref name="partWidth"/>, kept inside the whole.
    /// </summary>
    public WholeImage Scaled(double factor, int partHeight, int partWidth)
    {
        if (factor == 1.0) return this;
        var (scaledHeight, scaledWidth) = Resampling.ScaledSize(Height, Width, factor);
        int height = Math.Max(partHeight, scaledHeight), width = Math.Max(partWidth, scaledWidth);
        return this with
        {
            Height = height,
            Width = width,
            PartTop = Math.Min((int)Math.Round(PartTop * factor), height - partHeight),
            PartLeft = Math.Min((int)Math.Round(PartLeft * factor), width - partWidth),
        };
    }
}
