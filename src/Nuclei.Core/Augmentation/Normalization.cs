using Nuclei.Core.Imaging;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// Network input normalisation, giving planar CHW floats: per channel (x − mean[c]) / std[c], optionally
/// after stretching each image so that its low/high percentiles map to 0/1 (evens out exposure between
/// modalities). Training and prediction must use the same settings. With <see cref="Grey"/> a colour image is first
/// reduced to its luminance (<see cref="ColorTransforms.Luminance"/>), written to every channel: a network that never
/// sees hue cannot depend on a stain's colour, only on its brightness and texture.
/// </summary>
public sealed record Normalization(double[] Mean, double[] Std, bool PerImagePercentile = false, double PercentileLow = 1, double PercentileHigh = 99.8,
    bool Grey = false)
{
    /// <summary>Planar [C, H, W] values of an HWC image, normalised; written into <paramref name="dst"/> at <paramref name="offset"/>.</summary>
    /// <param name="wholeImage">with per-image percentiles: the percentiles of the whole image <paramref name="img"/> is a part of, used instead of its own</param>
    public void ToPlanar(FloatImage img, float[] dst, int offset, IntensityRange? wholeImage = null)
    {
        int ch = img.Channels, n = img.PixelCount;
        // Grey: every channel reads the luminance (one sample per pixel) instead of its own samples.
        bool grey = Grey && ch >= 3;
        float[] samples = grey ? ColorTransforms.Luminance(img) : img.Data;
        int stride = grey ? 1 : ch;
        float lo = 0, scale = 1;
        if (PerImagePercentile)
        {
            var (low, hi) = wholeImage ?? PercentilesOf(samples);
            lo = low;
            scale = hi - lo > 1e-6f ? 1f / (hi - lo) : 1f;
        }
        for (int c = 0; c < ch; c++)
        {
            float mean = (float)Mean[Math.Min(c, Mean.Length - 1)], invStd = 1f / (float)Std[Math.Min(c, Std.Length - 1)];
            int o = offset + c * n, first = grey ? 0 : c;
            for (int p = 0; p < n; p++)
                dst[o + p] = ((samples[p * stride + first] - lo) * scale - mean) * invStd;
        }
    }

    public float[] ToPlanar(FloatImage img) => ToPlanar(img, null);

    public float[] ToPlanar(FloatImage img, IntensityRange? wholeImage)
    {
        var dst = new float[img.Data.Length];
        ToPlanar(img, dst, 0, wholeImage);
        return dst;
    }

    /// <summary>This normalisation's low and high percentiles of all of <paramref name="data"/>'s samples.</summary>
    public IntensityRange PercentilesOf(float[] data)
    {
        var (lo, hi) = Percentiles(data, PercentileLow, PercentileHigh);
        return new IntensityRange(lo, hi);
    }

    /// <summary>Bins of the histogram percentiles are read from (over the samples' own range).</summary>
    public const int HistogramBins = 4096;

    /// <summary>
    /// Low and high percentiles of all samples, by a 4096-bin histogram over the samples' own range (not 0..1), so that
    /// a 12-bit image stored in 16 bits (values up to 0.0625) is resolved as finely as an 8-bit one.
    /// </summary>
    static (float lo, float hi) Percentiles(float[] data, double low, double high)
    {
        const int bins = HistogramBins;
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in data) { if (v < min) min = v; if (v > max) max = v; }
        if (!(max > min)) return (min, min);
        float scale = (bins - 1) / (max - min);
        var hist = new long[bins];
        foreach (float v in data) hist[(int)((v - min) * scale + 0.5f)]++;
        var (loBin, hiBin) = PercentileBins(hist, low, high);
        return (min + loBin / scale, min + hiBin / scale);
    }

    /// <summary>The bins holding the <paramref name="low"/> and <paramref name="high"/> percentiles of a histogram.</summary>
    public static (int Low, int High) PercentileBins(long[] hist, double low, double high)
    {
        long total = 0;
        foreach (long h in hist) total += h;
        long loCount = (long)(total * low / 100.0), hiCount = (long)(total * high / 100.0);
        long acc = 0; int loBin = 0, hiBin = hist.Length - 1; bool loSet = false;
        for (int b = 0; b < hist.Length; b++)
        {
            acc += hist[b];
            if (!loSet && acc > loCount) { loBin = b; loSet = true; }
            if (acc >= hiCount) { hiBin = b; break; }
        }
        return (loBin, Math.Max(hiBin, loBin));
    }
}
