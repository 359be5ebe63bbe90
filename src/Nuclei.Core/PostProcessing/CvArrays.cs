using OpenCvSharp;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Wraps plain managed arrays as OpenCV Mats without copying (the array is pinned while the Mat lives),
/// so the post-processing functions stay plain functions over arrays and still use OpenCV's kernels.
/// </summary>
internal static class CvArrays
{
    public static Mat Wrap(byte[] data, int height, int width) => Mat.FromPixelData(height, width, MatType.CV_8UC1, data);
    public static Mat Wrap(int[] data, int height, int width) => Mat.FromPixelData(height, width, MatType.CV_32SC1, data);
    public static Mat Wrap(float[] data, int height, int width) => Mat.FromPixelData(height, width, MatType.CV_32FC1, data);

    public static byte[] ToBytes(ReadOnlySpan<bool> mask)
    {
        var bytes = new byte[mask.Length];
        for (int i = 0; i < mask.Length; i++) bytes[i] = mask[i] ? (byte)255 : (byte)0;
        return bytes;
    }

    public static void CheckSize(int length, int height, int width, string what)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"{what}: size must be positive, got {height}x{width}");
        if (length != height * width) throw new ArgumentException($"{what}: length {length} does not match {height}x{width}");
    }
}
