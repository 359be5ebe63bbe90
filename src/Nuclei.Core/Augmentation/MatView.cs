using OpenCvSharp;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// OpenCV Mats over our managed float arrays (no copies): callers pin the array for the Mat's lifetime.
/// Label maps go through OpenCV as float32 (exact for labels below 2^24) so that nearest-neighbour warps
/// keep every label value.
/// </summary>
internal static class MatView
{
    public static unsafe Mat Over(float* data, int height, int width, int channels) =>
        Mat.FromPixelData(height, width, MatType.CV_32FC(channels), (IntPtr)data);

    public static float[] LabelsToFloat(int[] labels)
    {
        var f = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++) f[i] = labels[i];
        return f;
    }

    public static int[] FloatToLabels(float[] values)
    {
        var l = new int[values.Length];
        for (int i = 0; i < values.Length; i++) l[i] = (int)MathF.Round(values[i]);
        return l;
    }
}
