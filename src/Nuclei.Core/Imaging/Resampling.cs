using Nuclei.Core.PostProcessing;
using OpenCvSharp;

namespace Nuclei.Core.Imaging;

/// <summary>Image and label-map resizing (OpenCV): area averaging when shrinking, bilinear when enlarging; labels nearest.</summary>
internal static class Resampling
{
    /// <summary>An image's height and width rescaled by <paramref name="factor"/> (rounded, at least 1 pixel).</summary>
    public static (int Height, int Width) ScaledSize(int height, int width, double factor) =>
        (Math.Max(1, (int)Math.Round(height * factor)), Math.Max(1, (int)Math.Round(width * factor)));

    public static unsafe FloatImage Resize(FloatImage img, int height, int width)
    {
        if (height == img.Height && width == img.Width) return img;
        var dst = new FloatImage(height, width, img.Channels);
        var interpolation = height < img.Height && width < img.Width ? InterpolationFlags.Area : InterpolationFlags.Linear;
        fixed (float* s = img.Data)
        fixed (float* d = dst.Data)
        {
            using var src = Mat.FromPixelData(img.Height, img.Width, MatType.CV_32FC(img.Channels), (IntPtr)s);
            using var outMat = Mat.FromPixelData(height, width, MatType.CV_32FC(img.Channels), (IntPtr)d);
            Cv2.Resize(src, outMat, new Size(width, height), 0, 0, interpolation);
        }
        return dst;
    }

    /// <summary>Nearest-neighbour resize of a label map, renumbered 1..N (nuclei too small to keep a pixel vanish).</summary>
    public static LabelImage Resize(LabelImage labels, int height, int width)
    {
        if (height == labels.Height && width == labels.Width) return labels;
        var dst = new LabelImage(height, width);
        using (var src = CvArrays.Wrap(labels.Data, labels.Height, labels.Width))
        using (var outMat = CvArrays.Wrap(dst.Data, height, width))
            Cv2.Resize(src, outMat, new Size(width, height), 0, 0, InterpolationFlags.Nearest);
        RelabelSequential.Apply(dst.Data);
        return dst;
    }
}
