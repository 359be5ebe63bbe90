using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// Appearance randomisation on 0..1 images (labels untouched), so that a model cannot rely on the grey-level curve,
/// the colour mixture or the sharpness of one microscope: a random monotone intensity curve (the non-linear intensity
/// transform of Zhou et al., "Models Genesis", Medical Image Analysis 2021, here piecewise linear so it is monotone by
/// construction), a random convex mixture of the channels, and a Gaussian blur. Each returns a new image in 0..1.
/// </summary>
internal static class AppearanceTransforms
{
    const int CurveSegments = 4;

    /// <summary>
    /// Every value mapped through one random increasing curve from (0, 0) to (1, 1): <see cref="CurveSegments"/> equal
    /// segments of the input range whose rises are random shares of 1, so dark, middle and bright tones are stretched
    /// or squeezed independently while the order of the values is kept.
    /// </summary>
    public static FloatImage MonotoneCurve(FloatImage img, Random rng)
    {
        var knots = RandomCurveKnots(rng);
        var dst = new FloatImage(img.Height, img.Width, img.Channels);
        var s = img.Data; var d = dst.Data;
        for (int i = 0; i < s.Length; i++)
        {
            float x = Math.Clamp(s[i], 0f, 1f) * CurveSegments;
            int k = Math.Min((int)x, CurveSegments - 1);
            d[i] = knots[k] + (x - k) * (knots[k + 1] - knots[k]);
        }
        return dst;
    }

    /// <summary>The curve's values at 0, 1/n, ..., 1: cumulative sums of positive random rises, normalised to end at 1.</summary>
    static float[] RandomCurveKnots(Random rng)
    {
        var knots = new float[CurveSegments + 1];
        double total = 0;
        var rises = new double[CurveSegments];
        // Rises drawn from Exp(1) (a flat Dirichlet once normalised), floored so that no tone range collapses to one value.
        for (int k = 0; k < CurveSegments; k++) { rises[k] = 0.05 - Math.Log(1 - rng.NextDouble()); total += rises[k]; }
        double acc = 0;
        for (int k = 0; k < CurveSegments; k++) { acc += rises[k] / total; knots[k + 1] = (float)Math.Min(1.0, acc); }
        knots[CurveSegments] = 1f;
        return knots;
    }

    /// <summary>
    /// Each output channel a convex mixture of the input channels: (1 − a)·identity + a·(rows of random non-negative
    /// weights summing to 1), a uniform in [0, <paramref name="strength"/>]. Grey stays grey; a stain's colour moves.
    /// </summary>
    public static FloatImage MixChannels(FloatImage img, double strength, Random rng)
    {
        int ch = img.Channels;
        if (ch < 2) return new FloatImage(img.Height, img.Width, ch, (float[])img.Data.Clone());
        double a = rng.NextDouble() * Math.Clamp(strength, 0, 1);
        var m = new float[ch * ch];
        for (int r = 0; r < ch; r++)
        {
            var w = new double[ch];
            double sum = 0;
            for (int c = 0; c < ch; c++) { w[c] = -Math.Log(1 - rng.NextDouble()); sum += w[c]; }
            for (int c = 0; c < ch; c++) m[r * ch + c] = (float)(a * w[c] / sum + (r == c ? 1 - a : 0));
        }
        var dst = new FloatImage(img.Height, img.Width, ch);
        var s = img.Data; var d = dst.Data;
        for (int p = 0; p < img.PixelCount; p++)
        {
            int o = p * ch;
            for (int r = 0; r < ch; r++)
            {
                float v = 0;
                for (int c = 0; c < ch; c++) v += m[r * ch + c] * s[o + c];
                d[o + r] = Math.Clamp(v, 0f, 1f);
            }
        }
        return dst;
    }

    /// <summary>Gaussian blur of every channel with sigma uniform in [0.3, <paramref name="maxSigma"/>] px.</summary>
    public static FloatImage Blur(FloatImage img, double maxSigma, Random rng) =>
        GaussianBlur(img, 0.3 + rng.NextDouble() * Math.Max(0, maxSigma - 0.3));

    /// <summary>Gaussian blur of every channel (OpenCV, reflected borders).</summary>
    public static unsafe FloatImage GaussianBlur(FloatImage img, double sigma)
    {
        var dst = new FloatImage(img.Height, img.Width, img.Channels);
        fixed (float* ps = img.Data, pd = dst.Data)
        {
            using var src = MatView.Over(ps, img.Height, img.Width, img.Channels);
            using var res = MatView.Over(pd, img.Height, img.Width, img.Channels);
            Cv2.GaussianBlur(src, res, new Size(0, 0), sigma, sigma, BorderTypes.Reflect101);
        }
        return dst;
    }
}
