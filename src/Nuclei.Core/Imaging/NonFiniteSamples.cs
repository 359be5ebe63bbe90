using System.Globalization;

namespace Nuclei.Core.Imaging;

/// <summary>
/// NaN and ±infinity in a float image (masked or saturated pixels of a float TIFF). Left in, they spread through
/// normalisation, percentiles and convolutions and erase nuclei far from the bad pixels; so every image is read
/// with them replaced by the median of the image's finite samples (all channels together), which is neutral for
/// the background-dominated images we segment, and the reader is told how many were replaced.
/// An image without any finite sample holds nothing to segment and is refused.
/// </summary>
internal static class NonFiniteSamples
{
    /// <summary>Replaces the non-finite samples of <paramref name="image"/> in place; reports them through <paramref name="warn"/>.</summary>
    /// <returns>the number of samples replaced</returns>
    /// <exception cref="NucleiInputException">no sample of the image is finite.</exception>
    public static int Replace(FloatImage image, string path, Action<string>? warn)
    {
        var data = image.Data;
        int bad = 0;
        foreach (float v in data) if (!float.IsFinite(v)) bad++;
        if (bad == 0) return 0;
        if (bad == data.Length)
            throw new NucleiInputException(path, $"every sample of the image is NaN or infinite ({bad}): nothing to segment");

        float median = MedianOfFinite(data, data.Length - bad);
        for (int i = 0; i < data.Length; i++) if (!float.IsFinite(data[i])) data[i] = median;
        warn?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"{path}: {bad} NaN or infinite sample(s) of {data.Length} replaced by the image's median {median:G6}"));
        return bad;
    }

    /// <summary>The median (mean of the two middle values for an even count), as numpy.median computes it.</summary>
    static float MedianOfFinite(float[] data, int finiteCount)
    {
        var finite = new float[finiteCount];
        int k = 0;
        foreach (float v in data) if (float.IsFinite(v)) finite[k++] = v;
        Array.Sort(finite);
        int mid = finiteCount / 2;
        return finiteCount % 2 == 1 ? finite[mid] : (float)((finite[mid - 1] + (double)finite[mid]) / 2);
    }
}
