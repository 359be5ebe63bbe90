using OpenCvSharp;

namespace Nuclei.Core.PostProcessing;

/// <summary>Exact Euclidean distance transform (OpenCV distanceTransform, L2 with the precise mask).</summary>
internal static class DistanceTransform
{
    /// <summary>
    /// For every true pixel, the Euclidean distance to the nearest false pixel inside the image (false pixels get 0),
    /// as scipy's ndi.distance_transform_edt. A mask with no false pixel at all gets distances to just outside the
    /// image instead (OpenCV would return one huge constant, which has no peaks to seed a watershed from).
    /// </summary>
    public static float[] Euclidean(int height, int width, ReadOnlySpan<bool> mask)
    {
        CvArrays.CheckSize(mask.Length, height, width, "mask");
        bool anyBackground = mask.IndexOf(false) >= 0;
        if (!anyBackground) return DistanceToOutside(height, width);
        var distance = new float[height * width];
        var bytes = CvArrays.ToBytes(mask);
        using var src = CvArrays.Wrap(bytes, height, width);
        using var dst = CvArrays.Wrap(distance, height, width);
        Cv2.DistanceTransform(src, dst, DistanceTypes.L2, DistanceTransformMasks.Precise);
        return distance;
    }

    static float[] DistanceToOutside(int height, int width)
    {
        int ph = height + 2, pw = width + 2;
        var padded = new byte[ph * pw];
        for (int y = 1; y <= height; y++) padded.AsSpan(y * pw + 1, width).Fill(255);
        var paddedDistance = new float[ph * pw];
        using (var src = CvArrays.Wrap(padded, ph, pw))
        using (var dst = CvArrays.Wrap(paddedDistance, ph, pw))
            Cv2.DistanceTransform(src, dst, DistanceTypes.L2, DistanceTransformMasks.Precise);
        var distance = new float[height * width];
        for (int y = 0; y < height; y++) Array.Copy(paddedDistance, (y + 1) * pw + 1, distance, y * width, width);
        return distance;
    }
}
