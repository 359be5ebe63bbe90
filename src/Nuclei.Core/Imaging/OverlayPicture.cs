using Nuclei.Core.Measurements;
using OpenCvSharp;

namespace Nuclei.Core.Imaging;

/// <summary>
/// The overlay as a picture (an OpenCV B,G,R Mat): <see cref="Overlay"/>'s outlines at the width the options ask,
/// each nucleus' label written at its centroid when asked, and the plain image beside it when asked.
/// </summary>
internal static class OverlayPicture
{
    public static Mat Compose(FloatImage image, LabelImage labels, OverlayOptions options)
    {
        var overlay = ToBgr(Overlay.Render(image, labels, options.WidthFor(image.Height, image.Width)), image.Height, image.Width);
        if (options.Numbers) DrawNumbers(overlay, labels);
        if (!options.SideBySide) return overlay;
        using (overlay)
        using (var plain = ToBgr(Overlay.StretchForDisplay(image), image.Height, image.Width))
        {
            var both = new Mat();
            Cv2.HConcat(new[] { plain, overlay }, both);
            return both;
        }
    }

    public static Mat ToBgr(byte[] rgb, int height, int width)
    {
        var mat = new Mat(height, width, MatType.CV_8UC3);
        unsafe
        {
            var dst = new Span<byte>((void*)mat.Data, rgb.Length);
            for (int i = 0; i < rgb.Length; i += 3)
            {
                dst[i] = rgb[i + 2];
                dst[i + 1] = rgb[i + 1];
                dst[i + 2] = rgb[i];
            }
        }
        return mat;
    }

    /// <summary>Each label centred on its centroid, white on a black halo so it reads on any background; the size follows the image.</summary>
    static void DrawNumbers(Mat overlay, LabelImage labels)
    {
        double scale = Math.Max(0.3, Math.Max(labels.Height, labels.Width) / 1600.0);
        int thickness = Math.Max(1, (int)Math.Round(scale * 1.5));
        foreach (var region in LabelRegions.Of(labels))
        {
            double cx = 0, cy = 0;
            foreach (int p in region.Pixels) { cx += p % labels.Width; cy += p / labels.Width; }
            cx /= region.Pixels.Length; cy /= region.Pixels.Length;
            string text = region.Label.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, scale, thickness, out _);
            var at = new Point((int)Math.Round(cx - size.Width / 2.0), (int)Math.Round(cy + size.Height / 2.0));
            Cv2.PutText(overlay, text, at, HersheyFonts.HersheySimplex, scale, Scalar.Black, thickness + 2, LineTypes.AntiAlias);
            Cv2.PutText(overlay, text, at, HersheyFonts.HersheySimplex, scale, Scalar.White, thickness, LineTypes.AntiAlias);
        }
    }
}
