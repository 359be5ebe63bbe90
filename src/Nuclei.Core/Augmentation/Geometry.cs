using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// Geometric transforms applied to an image and its label map alike (labels by nearest neighbour, so no new
/// label values appear). Flips and 90° rotations are exact index permutations; arbitrary affine maps
/// (rotation by any angle, scale, aspect, crop) go through one OpenCV warpAffine.
/// </summary>
internal static class Geometry
{
    public static FloatImage FlipHorizontal(FloatImage img) => Permute(img, img.Height, img.Width, (y, x) => (y, img.Width - 1 - x));
    public static FloatImage FlipVertical(FloatImage img) => Permute(img, img.Height, img.Width, (y, x) => (img.Height - 1 - y, x));
    public static LabelImage FlipHorizontal(LabelImage l) => Permute(l, l.Height, l.Width, (y, x) => (y, l.Width - 1 - x));
    public static LabelImage FlipVertical(LabelImage l) => Permute(l, l.Height, l.Width, (y, x) => (l.Height - 1 - y, x));

    /// <summary>Rotates counter-clockwise by k × 90° (k any integer).</summary>
    public static FloatImage Rotate90(FloatImage img, int k)
    {
        k = ((k % 4) + 4) % 4;
        int h = img.Height, w = img.Width;
        return k switch
        {
            0 => Permute(img, h, w, (y, x) => (y, x)),
            1 => Permute(img, w, h, (y, x) => (x, w - 1 - y)),
            2 => Permute(img, h, w, (y, x) => (h - 1 - y, w - 1 - x)),
            _ => Permute(img, w, h, (y, x) => (h - 1 - x, y)),
        };
    }

    /// <summary>Rotates counter-clockwise by k × 90° (k any integer).</summary>
    public static LabelImage Rotate90(LabelImage l, int k)
    {
        k = ((k % 4) + 4) % 4;
        int h = l.Height, w = l.Width;
        return k switch
        {
            0 => Permute(l, h, w, (y, x) => (y, x)),
            1 => Permute(l, w, h, (y, x) => (x, w - 1 - y)),
            2 => Permute(l, h, w, (y, x) => (h - 1 - y, w - 1 - x)),
            _ => Permute(l, w, h, (y, x) => (h - 1 - x, y)),
        };
    }

    public static FloatImage Crop(FloatImage img, int top, int left, int height, int width)
    {
        CheckCrop(img.Height, img.Width, top, left, height, width);
        var dst = new FloatImage(height, width, img.Channels);
        int c = img.Channels;
        for (int y = 0; y < height; y++)
            Array.Copy(img.Data, ((top + y) * img.Width + left) * c, dst.Data, y * width * c, width * c);
        return dst;
    }

    public static LabelImage Crop(LabelImage l, int top, int left, int height, int width)
    {
        CheckCrop(l.Height, l.Width, top, left, height, width);
        var dst = new LabelImage(height, width);
        for (int y = 0; y < height; y++)
            Array.Copy(l.Data, (top + y) * l.Width + left, dst.Data, y * width, width);
        return dst;
    }

    /// <summary>Rotation by any angle (degrees, counter-clockwise) about the centre, same size, reflected borders.</summary>
    public static (FloatImage, LabelImage) Rotate(FloatImage img, LabelImage labels, double degrees)
    {
        var m = Cv2.GetRotationMatrix2D(new Point2f(img.Width / 2f - 0.5f, img.Height / 2f - 0.5f), degrees, 1.0);
        m.GetArray(out double[] forward);
        m.Dispose();
        return WarpAffine(img, labels, Invert(forward), img.Height, img.Width);
    }

    /// <summary>Resize by independent factors per axis (image bilinear, labels nearest).</summary>
    public static (FloatImage, LabelImage) Scale(FloatImage img, LabelImage labels, double scaleX, double scaleY)
    {
        int h = Math.Max(1, (int)Math.Round(img.Height * scaleY)), w = Math.Max(1, (int)Math.Round(img.Width * scaleX));
        // output → source: x_src = (x + 0.5) / sx - 0.5
        double[] inv = { 1 / scaleX, 0, 0.5 / scaleX - 0.5, 0, 1 / scaleY, 0.5 / scaleY - 0.5 };
        return WarpAffine(img, labels, inv, h, w);
    }

    /// <summary>
    /// Samples output pixel (x, y) from source (m0 x + m1 y + m2, m3 x + m4 y + m5): image bilinear, labels
    /// nearest, borders reflected (reflect-101) so crops near an edge see plausible content.
    /// </summary>
    public static unsafe (FloatImage, LabelImage) WarpAffine(FloatImage img, LabelImage labels, double[] outputToSource, int outHeight, int outWidth)
    {
        CheckSameSize(img, labels);
        var dstImg = new FloatImage(outHeight, outWidth, img.Channels);
        float[] srcLab = MatView.LabelsToFloat(labels.Data), dstLab = new float[outHeight * outWidth];
        using var m = Mat.FromPixelData(2, 3, MatType.CV_64FC1, outputToSource);
        fixed (float* ps = img.Data, pd = dstImg.Data, pls = srcLab, pld = dstLab)
        {
            using var src = MatView.Over(ps, img.Height, img.Width, img.Channels);
            using var dst = MatView.Over(pd, outHeight, outWidth, img.Channels);
            Cv2.WarpAffine(src, dst, m, new Size(outWidth, outHeight), InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Reflect101);
            using var ls = MatView.Over(pls, labels.Height, labels.Width, 1);
            using var ld = MatView.Over(pld, outHeight, outWidth, 1);
            Cv2.WarpAffine(ls, ld, m, new Size(outWidth, outHeight), InterpolationFlags.Nearest | InterpolationFlags.WarpInverseMap, BorderTypes.Reflect101);
        }
        return (dstImg, new LabelImage(outHeight, outWidth, MatView.FloatToLabels(dstLab)));
    }

    /// <summary>Inverse of a 2×3 affine map.</summary>
    public static double[] Invert(double[] m)
    {
        double det = m[0] * m[4] - m[1] * m[3];
        if (Math.Abs(det) < 1e-12) throw new ArgumentException("affine map is singular");
        double a = m[4] / det, b = -m[1] / det, d = -m[3] / det, e = m[0] / det;
        return new[] { a, b, -(a * m[2] + b * m[5]), d, e, -(d * m[2] + e * m[5]) };
    }

    internal static void CheckSameSize(FloatImage img, LabelImage labels)
    {
        if (img.Height != labels.Height || img.Width != labels.Width)
            throw new ArgumentException($"image {img.Height}x{img.Width} and labels {labels.Height}x{labels.Width} differ in size");
    }

    static void CheckCrop(int h, int w, int top, int left, int height, int width)
    {
        if (top < 0 || left < 0 || height <= 0 || width <= 0 || top + height > h || left + width > w)
            throw new ArgumentOutOfRangeException($"crop {height}x{width} at ({top},{left}) is outside {h}x{w}");
    }

    static FloatImage Permute(FloatImage img, int outH, int outW, Func<int, int, (int y, int x)> source)
    {
        var dst = new FloatImage(outH, outW, img.Channels);
        int c = img.Channels;
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
            {
                var (sy, sx) = source(y, x);
                Array.Copy(img.Data, (sy * img.Width + sx) * c, dst.Data, (y * outW + x) * c, c);
            }
        return dst;
    }

    static LabelImage Permute(LabelImage l, int outH, int outW, Func<int, int, (int y, int x)> source)
    {
        var dst = new LabelImage(outH, outW);
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
            {
                var (sy, sx) = source(y, x);
                dst.Data[y * outW + x] = l.Data[sy * l.Width + sx];
            }
        return dst;
    }
}
