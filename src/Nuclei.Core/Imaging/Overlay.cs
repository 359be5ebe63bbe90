using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Nuclei.Core.Imaging;

/// <summary>
/// Renders the picture a person looks at first: the image, contrast-stretched so a dark fluorescence image
/// is visible, with the outline of every nucleus drawn in a colour that differs from its neighbours' colours.
/// </summary>
internal static class Overlay
{
    /// <summary>
    /// Distinct colours that show on dark and bright backgrounds (from Sasha Trubetskoy's
    /// "List of 20 Simple, Distinct Colors", the ones that are not too dark or too pale).
    /// </summary>
    public static readonly (byte R, byte G, byte B)[] Palette =
    {
        (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
        (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40),
    };

    /// <summary>
    /// Returns H×W×3 bytes (R,G,B): the stretched image with the coloured outline of every nucleus, its pixels
    /// at most <paramref name="outlineWidth"/> pixels (chessboard distance) from another label or the background.
    /// </summary>
    public static byte[] Render(FloatImage image, LabelImage labels, int outlineWidth = 1)
    {
        if (image.Height != labels.Height || image.Width != labels.Width)
            throw new ArgumentException($"image is {image.Height}x{image.Width} but labels are {labels.Height}x{labels.Width}");
        if (outlineWidth < 1) throw new ArgumentException($"outline width must be at least 1, got {outlineWidth}");

        byte[] rgb = StretchForDisplay(image);
        int[] colourOf = AssignColours(labels);
        byte[] outline = OutlineMask(labels, outlineWidth);
        int[] lab = labels.Data;
        for (int i = 0; i < lab.Length; i++)
        {
            if (outline[i] == 0) continue;
            var c = Palette[colourOf[lab[i]]];
            rgb[i * 3] = c.R; rgb[i * 3 + 1] = c.G; rgb[i * 3 + 2] = c.B;
        }
        return rgb;
    }

    /// <summary>
    /// 1 where a nucleus pixel has a different value (another nucleus or background) within its (2w+1)² window
    /// (its 4-neighbours for w = 1), i.e. the nucleus' outermost w rings of pixels:
    /// OpenCV's grey dilation and erosion of the label values differ there. The image edge is not an outline.
    /// </summary>
    public static byte[] OutlineMask(LabelImage labels, int width)
    {
        using var values = new Mat();
        using (var ints = Mat.FromPixelData(labels.Height, labels.Width, MatType.CV_32SC1, labels.Data))
            ints.ConvertTo(values, MatType.CV_32FC1); // exact up to 2^24 labels; OpenCV's morphology wants floats
        using var kernel = width == 1
            ? Cv2.GetStructuringElement(MorphShapes.Cross, new Size(3, 3))
            : Cv2.GetStructuringElement(MorphShapes.Rect, new Size(2 * width + 1, 2 * width + 1));
        using Mat high = new(), low = new(), differs = new();
        Cv2.Dilate(values, high, kernel, borderType: BorderTypes.Replicate);
        Cv2.Erode(values, low, kernel, borderType: BorderTypes.Replicate);
        Cv2.Compare(high, low, differs, CmpTypes.NE);
        var mask = new byte[labels.PixelCount];
        Marshal.Copy(differs.Data, mask, 0, mask.Length);
        for (int i = 0; i < mask.Length; i++) if (labels.Data[i] == 0) mask[i] = 0;
        return mask;
    }

    /// <summary>
    /// Maps the image to 8-bit RGB, stretching the 0.5th..99.8th percentile of all samples to 0..255
    /// (the same stretch for every channel, so colours keep their balance). Gray becomes three equal channels;
    /// extra channels beyond three are ignored.
    /// </summary>
    public static byte[] StretchForDisplay(FloatImage image)
    {
        float[] d = image.Data;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in d)
        {
            if (float.IsNaN(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (!(max > min)) { min = 0; max = 1; }

        const int bins = 4096;
        var hist = new long[bins];
        float binScale = (bins - 1) / (max - min);
        foreach (float v in d)
            if (!float.IsNaN(v)) hist[(int)((v - min) * binScale)]++;
        float lo = Percentile(hist, 0.005, min, max), hi = Percentile(hist, 0.998, min, max);
        if (!(hi > lo)) { lo = min; hi = max; }

        int n = image.PixelCount, ch = image.Channels;
        var rgb = new byte[n * 3];
        float scale = 255f / (hi - lo);
        for (int p = 0; p < n; p++)
        for (int k = 0; k < 3; k++)
        {
            float v = d[p * ch + (ch >= 3 ? k : 0)];
            rgb[p * 3 + k] = (byte)Math.Clamp((v - lo) * scale, 0f, 255f);
        }
        return rgb;
    }

    static float Percentile(long[] hist, double fraction, float min, float max)
    {
        long total = 0;
        foreach (long c in hist) total += c;
        long target = (long)(fraction * total);
        long seen = 0;
        for (int b = 0; b < hist.Length; b++)
        {
            seen += hist[b];
            if (seen > target) return min + (max - min) * b / (hist.Length - 1);
        }
        return max;
    }

    /// <summary>
    /// Greedy graph colouring: labels closer than 3 px are neighbours and get different palette entries;
    /// each label starts from its own preferred colour so the picture is varied even without neighbours.
    /// Returns a palette index for every label value 0..max.
    /// </summary>
    public static int[] AssignColours(LabelImage labels)
    {
        int max = labels.MaxLabel();
        var neighbours = new HashSet<int>[max + 1];
        int h = labels.Height, w = labels.Width;
        int[] lab = labels.Data;
        // Offsets covering every pair of pixels up to 2 px apart (each pair seen once).
        (int dy, int dx)[] offsets = { (0, 1), (0, 2), (1, -2), (1, -1), (1, 0), (1, 1), (1, 2), (2, -1), (2, 0), (2, 1) };
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            int a = lab[y * w + x];
            if (a == 0) continue;
            foreach (var (dy, dx) in offsets)
            {
                int yy = y + dy, xx = x + dx;
                if (yy >= h || xx < 0 || xx >= w) continue;
                int b = lab[yy * w + xx];
                if (b == 0 || b == a) continue;
                (neighbours[a] ??= new()).Add(b);
                (neighbours[b] ??= new()).Add(a);
            }
        }

        var colour = new int[max + 1];
        Array.Fill(colour, -1);
        int p = Palette.Length;
        for (int l = 1; l <= max; l++)
        {
            int preferred = (l - 1) % p;
            colour[l] = preferred;
            if (neighbours[l] is not { } adj) continue;
            for (int k = 0; k < p; k++)
            {
                int candidate = (preferred + k) % p;
                bool taken = false;
                foreach (int b in adj)
                    if (colour[b] == candidate) { taken = true; break; }
                if (!taken) { colour[l] = candidate; break; }
            }
        }
        colour[0] = 0;
        return colour;
    }
}
