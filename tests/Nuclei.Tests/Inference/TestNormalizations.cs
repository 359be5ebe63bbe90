using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Inference;

/// <summary>Simple per-channel normalisations for synthetic models (real models use the training configuration's).</summary>
internal static class TestNormalizations
{
    /// <summary>Each channel to zero mean and unit spread over the image itself: planar CHW output.</summary>
    public static float[] PerImageStandardize(FloatImage img)
    {
        int c = img.Channels, n = img.PixelCount;
        var dst = new float[img.Data.Length];
        for (int k = 0; k < c; k++)
        {
            double sum = 0, sq = 0;
            for (int p = 0; p < n; p++) { double v = img.Data[p * c + k]; sum += v; sq += v * v; }
            double mean = sum / n, std = Math.Sqrt(Math.Max(0, sq / n - mean * mean));
            if (std < 1e-6) std = 1;
            for (int p = 0; p < n; p++) dst[k * n + p] = (float)((img.Data[p * c + k] - mean) / std);
        }
        return dst;
    }

    /// <summary>(x - 0.5) / 0.25 per channel: a fixed affine map.</summary>
    public static float[] Fixed(FloatImage img)
    {
        int c = img.Channels, n = img.PixelCount;
        var dst = new float[img.Data.Length];
        for (int k = 0; k < c; k++)
            for (int p = 0; p < n; p++) dst[k * n + p] = (img.Data[p * c + k] - 0.5f) / 0.25f;
        return dst;
    }
}
