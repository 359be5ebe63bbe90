using OpenCvSharp;

namespace Nuclei.Core.PostProcessing;

/// <summary>Connected-component labelling of a binary mask (OpenCV's connectedComponents).</summary>
internal static class ConnectedComponents
{
    /// <summary>
    /// Labels the true pixels of <paramref name="mask"/> 1..N (0 = background) into a new row-major array.
    /// 8-connectivity by default (scipy's ndi.label uses 4; say <c>eightConnected: false</c> for that).
    /// </summary>
    public static int[] Label(int height, int width, ReadOnlySpan<bool> mask, out int count, bool eightConnected = true)
    {
        CvArrays.CheckSize(mask.Length, height, width, "mask");
        var labels = new int[height * width];
        var bytes = CvArrays.ToBytes(mask);
        using var src = CvArrays.Wrap(bytes, height, width);
        using var dst = CvArrays.Wrap(labels, height, width);
        int n = Cv2.ConnectedComponents(src, dst, eightConnected ? PixelConnectivity.Connectivity8 : PixelConnectivity.Connectivity4, MatType.CV_32S);
        count = n - 1;
        return labels;
    }

    /// <summary>Pixel count of each label 0..maxLabel of a label array (index = label).</summary>
    public static int[] Areas(ReadOnlySpan<int> labels, int maxLabel)
    {
        var areas = new int[maxLabel + 1];
        foreach (int v in labels) if (v > 0 && v <= maxLabel) areas[v]++;
        return areas;
    }

    /// <summary>Largest value in a label array (0 when empty).</summary>
    public static int MaxLabel(ReadOnlySpan<int> labels)
    {
        int max = 0;
        foreach (int v in labels) if (v > max) max = v;
        return max;
    }
}
