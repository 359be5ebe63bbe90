using OpenCvSharp;

namespace Nuclei.Core.PostProcessing;

/// <summary>Exact Euclidean distance transform (OpenCV distanceTransform, L2 with the precise mask).</summary>
public static class DistanceTransform
{
    /// <summary>
    /// For every true pixel, the Euclidean distance to the nearest false pixel inside the image (false pixels get 0),
    /// as scipy's ndi.distance_transform_edt. A mask with no false pixel gets a large constant from OpenCV.
    /// </summary>
    public static float[] Euclidean(int height, int width, ReadOnlySpan<bool> mask)
    {
        CvArrays.CheckSize(mask.Length, height, width, "mask");
        var distance = new float[height * width];
        var bytes = CvArrays.ToBytes(mask);
        using var src = CvArrays.Wrap(bytes, height, width);
        using var dst = CvArrays.Wrap(distance, height, width);
        Cv2.DistanceTransform(src, dst, DistanceTypes.L2, DistanceTransformMasks.Precise);
        return distance;
    }
}
