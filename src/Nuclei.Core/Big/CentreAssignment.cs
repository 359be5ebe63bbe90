using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;

namespace Nuclei.Core.Big;

/// <summary>A nucleus a block keeps: its pixels in the block's window (row-major indices into the window) and whether it was cut by the window's edge.</summary>
internal sealed record BlockNucleus(LabelRegion Region, bool CutByWindow);

/// <summary>
/// Which nuclei of a segmented block window belong to the block: those whose centre (the mean of their pixels) lies
/// in the block's core. Every nucleus lies, whole, in the window of the block whose core holds its centre as long
/// as the context margin exceeds its radius, so each nucleus is kept once, by the block that sees it whole. This is
/// the rule of StarDist's <c>predict_instances_big</c> (stardist/big.py, <c>BlockND.filter_objects</c>: objects whose
/// centre is outside the core are dropped, and a kept object touching the block's outer edge means the context is too small).
/// </summary>
internal static class CentreAssignment
{
    public static IReadOnlyList<BlockNucleus> Keep(LabelImage windowLabels, Block block, int imageHeight, int imageWidth)
    {
        var window = block.Window;
        if (windowLabels.Height != window.Height || windowLabels.Width != window.Width)
            throw new ArgumentException($"labels are {windowLabels.Height}x{windowLabels.Width} but block window is {window.Height}x{window.Width}");
        var kept = new List<BlockNucleus>();
        foreach (var region in LabelRegions.Of(windowLabels))
        {
            var (cy, cx) = Centre(region.Pixels, window.Width);
            if (!block.Core.Contains(window.X + cx, window.Y + cy)) continue;
            kept.Add(new BlockNucleus(region, CutByWindow(region, window, imageHeight, imageWidth)));
        }
        return kept;
    }

    /// <summary>Touches an edge of the window that is not an edge of the image: the nucleus may go on beyond what was segmented.</summary>
    static bool CutByWindow(LabelRegion r, PixelRect window, int imageHeight, int imageWidth) =>
        (r.MinY == 0 && window.Y > 0) || (r.MinX == 0 && window.X > 0)
        || (r.MaxY == window.Height - 1 && window.Bottom < imageHeight) || (r.MaxX == window.Width - 1 && window.Right < imageWidth);

    static (double Y, double X) Centre(int[] pixels, int width)
    {
        double sy = 0, sx = 0;
        foreach (int p in pixels) { sy += p / width; sx += p % width; }
        return (sy / pixels.Length, sx / pixels.Length);
    }
}
