using OpenCvSharp;

namespace Nuclei.Core.PostProcessing;

/// <summary>Otsu's threshold (OpenCV THRESH_OTSU on a 256-level histogram spanning the data's own range, as skimage's threshold_otsu does).</summary>
internal static class OtsuThreshold
{
    /// <summary>
    /// The threshold t such that the foreground class is <c>value &gt; t</c>. Values are quantised to 256 levels between
    /// their minimum and maximum first, so dim 16-bit fluorescence keeps its resolution. A constant image returns its value.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) throw new ArgumentException("Otsu threshold of an empty array");
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values) { if (v < min) min = v; if (v > max) max = v; }
        if (!(max > min)) return min;
        float scale = 255f / (max - min);
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++) bytes[i] = (byte)Math.Clamp((int)MathF.Round((values[i] - min) * scale), 0, 255);
        using var src = CvArrays.Wrap(bytes, 1, bytes.Length);
        using var dst = new Mat();
        double level = Cv2.Threshold(src, dst, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
        // OpenCV's foreground is level > t on the quantised scale; map the midpoint back to the data scale.
        return min + (float)(level + 0.5) / scale;
    }
}
