using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Staining;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// Stain augmentation for brightfield / H&amp;E images (Tellez et al. 2018, "Whole-slide mitosis detection in H&amp;E
/// breast histology using PHH3 as a reference to train distilled stain-invariant convolutional networks"): the image is
/// split into haematoxylin, eosin and DAB optical densities by colour deconvolution (Ruifrok &amp; Johnston 2001, the
/// matrix of scikit-image's rgb2hed), each density is scaled by U(1−σ, 1+σ) and shifted by U(−σ, σ), and the result
/// is mixed back to RGB. Grey images (no colour to separate) are left as they are.
/// </summary>
internal static class StainJitter
{
    // Rows: stain vectors H, E, DAB in RGB optical density (scikit-image skimage.color.colorconv.rgb_from_hed).
    static readonly double[,] RgbFromHed = StainSeparation.RgbFromHed;
    static readonly double[,] HedFromRgb = Matrix3.Invert(Normalised(RgbFromHed));
    // The same matrices as floats, for the per-pixel loop.
    static readonly float[,] HedFromRgbF = Matrix3.ToFloat(HedFromRgb);
    static readonly float[,] RgbFromHedF = Matrix3.ToFloat(Normalised(RgbFromHed));

    /// <summary>The image with its stains jittered; grey images (see <see cref="ImageKind.IsGrey"/>) come back unchanged.</summary>
    public static FloatImage Apply(FloatImage img, double sigma, Random rng)
    {
        if (img.Channels < 3 || ImageKind.IsGrey(img)) return img;
        var alpha = new float[3];
        var beta = new float[3];
        for (int s = 0; s < 3; s++)
        {
            alpha[s] = (float)(1 + (rng.NextDouble() * 2 - 1) * sigma);
            beta[s] = (float)((rng.NextDouble() * 2 - 1) * sigma);
        }
        var dst = new FloatImage(img.Height, img.Width, img.Channels, (float[])img.Data.Clone());
        int ch = img.Channels;
        Span<float> od = stackalloc float[3];
        Span<float> hed = stackalloc float[3];
        for (int p = 0; p < img.PixelCount; p++)
        {
            int o = p * ch;
            // Optical density −log(I), with I clamped away from 0 as scikit-image does (1e-6).
            for (int c = 0; c < 3; c++) od[c] = -MathF.Log(Math.Max(img.Data[o + c], 1e-6f));
            for (int s = 0; s < 3; s++)
            {
                float v = 0;
                for (int c = 0; c < 3; c++) v += od[c] * HedFromRgbF[c, s];
                hed[s] = Math.Max(0f, v) * alpha[s] + beta[s];
            }
            for (int c = 0; c < 3; c++)
            {
                float v = 0;
                for (int s = 0; s < 3; s++) v += hed[s] * RgbFromHedF[s, c];
                dst.Data[o + c] = Math.Clamp(MathF.Exp(-v), 0f, 1f);
            }
        }
        return dst;
    }

    static double[,] Normalised(double[,] m)
    {
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            double n = Math.Sqrt(m[i, 0] * m[i, 0] + m[i, 1] * m[i, 1] + m[i, 2] * m[i, 2]);
            for (int j = 0; j < 3; j++) r[i, j] = m[i, j] / n;
        }
        return r;
    }
}
