namespace Nuclei.Core.Imaging;

/// <summary>How overlays are drawn.</summary>
/// <param name="OutlineWidth">outline width in pixels, drawn inside each nucleus; 0 = scaled to the image (see <see cref="WidthFor"/>)</param>
/// <param name="Numbers">write each nucleus' label at its centroid</param>
/// <param name="SideBySide">put the plain (stretched) image on the left of the overlay, to compare</param>
internal sealed record OverlayOptions(int OutlineWidth = 0, bool Numbers = false, bool SideBySide = false)
{
    public static readonly OverlayOptions Default = new();

    /// <summary>
    /// The outline width for an image: the given one, or 2 px up to 1000 px and then one more per 400 px of the
    /// longer side, so outlines stay visible at the size the picture is shown at.
    /// </summary>
    public int WidthFor(int height, int width) =>
        OutlineWidth > 0 ? OutlineWidth : Math.Max(2, (int)Math.Round(Math.Max(height, width) / 400.0));
}
