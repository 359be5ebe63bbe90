using Nuclei.Core.Metrics;
using OpenCvSharp;

namespace Nuclei.Core.Imaging;

/// <summary>
/// An image with its prediction's errors drawn in three colours (Okabe and Ito's colour-blind-safe palette):
/// predicted nuclei that match a true one (true positives) in bluish green, predicted nuclei that match none
/// (false positives) in vermillion, and true nuclei that nothing matched (misses) in yellow, drawn last.
/// </summary>
internal static class ErrorPicture
{
    public static readonly (byte R, byte G, byte B) TruePositive = (0, 158, 115);
    public static readonly (byte R, byte G, byte B) FalsePositive = (213, 94, 0);
    public static readonly (byte R, byte G, byte B) Miss = (240, 228, 66);

    /// <summary>
    /// A B,G,R picture of <paramref name="image"/> (or, without one, the true nuclei in dark grey on black) with the
    /// outlines of <paramref name="errors"/>' objects, as wide as overlays of this size.
    /// </summary>
    public static Mat Render(FloatImage? image, LabelImage truth, LabelImage pred, ObjectErrors errors)
    {
        int h = truth.Height, w = truth.Width;
        if ((image is not null && (image.Height != h || image.Width != w)) || pred.Height != h || pred.Width != w)
            throw new ArgumentException($"image {image?.Height}x{image?.Width}, truth {h}x{w} and prediction {pred.Height}x{pred.Width} differ in size");
        int width = OverlayOptions.Default.WidthFor(h, w);
        byte[] rgb = image is null ? TruthAsBackground(truth) : Overlay.StretchForDisplay(image);
        var matched = errors.Matches.Select(m => m.Pred).ToHashSet();
        Paint(rgb, pred, width, label => matched.Contains(label) ? TruePositive : FalsePositive);
        var missed = errors.Misses.ToHashSet();
        Paint(rgb, truth, width, label => missed.Contains(label) ? Miss : null);
        return OverlayPicture.ToBgr(rgb, h, w);
    }

    /// <summary>Colours the outline pixels of every label the function gives a colour to.</summary>
    static void Paint(byte[] rgb, LabelImage labels, int width, Func<int, (byte R, byte G, byte B)?> colourOf)
    {
        byte[] outline = Overlay.OutlineMask(labels, width);
        var cache = new Dictionary<int, (byte R, byte G, byte B)?>();
        int[] lab = labels.Data;
        for (int i = 0; i < lab.Length; i++)
        {
            if (outline[i] == 0) continue;
            if (!cache.TryGetValue(lab[i], out var c)) cache[lab[i]] = c = colourOf(lab[i]);
            if (c is not { } colour) continue;
            rgb[i * 3] = colour.R; rgb[i * 3 + 1] = colour.G; rgb[i * 3 + 2] = colour.B;
        }
    }

    /// <summary>R,G,B bytes: true nuclei dark grey on black, for when the image itself is not at hand.</summary>
    static byte[] TruthAsBackground(LabelImage truth)
    {
        var rgb = new byte[truth.PixelCount * 3];
        for (int i = 0; i < truth.Data.Length; i++)
            if (truth.Data[i] != 0) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = 80;
        return rgb;
    }
}
