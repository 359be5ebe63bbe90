using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Staining;

/// <summary>
/// Colour deconvolution of brightfield RGB images into stain optical densities (Ruifrok &amp; Johnston 2001,
/// "Quantification of histochemical staining by color deconvolution", Anal. Quant. Cytol. Histol. 23(4):291-299), with
/// the haematoxylin / eosin / DAB vectors and the scaling of scikit-image's <c>skimage.color.rgb2hed</c>: per pixel
/// OD = log(max(I, 1e-6)) / log(1e-6) per colour, stains = OD · hed_from_rgb (the inverse of rgb_from_hed), negative
/// densities set to 0. The same matrix serves H&amp;E (haematoxylin, eosin) and IHC (haematoxylin, DAB) slides.
/// </summary>
internal static class StainSeparation
{
    /// <summary>Rows: the stain vectors H, E, DAB in RGB optical density (scikit-image <c>rgb_from_hed</c>, from Ruifrok &amp; Johnston).</summary>
    public static readonly double[,] RgbFromHed =
    {
        { 0.65, 0.70, 0.29 },
        { 0.07, 0.99, 0.11 },
        { 0.27, 0.57, 0.78 },
    };

    /// <summary>scikit-image's <c>hed_from_rgb</c> = inv(rgb_from_hed), as floats for the per-pixel loop.</summary>
    static readonly float[,] HedFromRgb = Matrix3.ToFloat(Matrix3.Invert(RgbFromHed));

    // scikit-image divides −log(I) by −log(1e-6), so that I = 1e-6 (its floor) has optical density 1
    static readonly float OdScale = (float)(1 / -Math.Log(1e-6));

    /// <summary>Index of each stain in <see cref="Hed"/>'s channels.</summary>
    public const int H = 0, E = 1, Dab = 2;

    /// <summary>
    /// The haematoxylin, eosin and DAB densities of an RGB image (0..1; channels beyond the third ignored), as
    /// <c>skimage.color.rgb2hed</c> gives them: a 3-channel image, each ≥ 0 (about 0.05 for I = 0.5 in one stain).
    /// </summary>
    public static FloatImage Hed(FloatImage rgb)
    {
        RequireColour(rgb);
        var dst = new FloatImage(rgb.Height, rgb.Width, 3);
        Span<float> od = stackalloc float[3];
        int ch = rgb.Channels;
        for (int p = 0; p < rgb.PixelCount; p++)
        {
            for (int c = 0; c < 3; c++) od[c] = -MathF.Log(Math.Max(rgb.Data[p * ch + c], 1e-6f)) * OdScale;
            for (int s = 0; s < 3; s++)
            {
                float v = od[0] * HedFromRgb[0, s] + od[1] * HedFromRgb[1, s] + od[2] * HedFromRgb[2, s];
                dst.Data[p * 3 + s] = Math.Max(0f, v);
            }
        }
        return dst;
    }

    /// <summary>Percentiles the haematoxylin density is stretched between (those of the models' per-image normalisation).</summary>
    public const double StretchLow = 1, StretchHigh = 99.8;

    /// <summary>
    /// The haematoxylin density as a grey picture the way our models see fluorescence: nuclei (high density) bright on
    /// a dark background (glass, eosin), stretched so that its 1st and 99.8th percentiles become 0 and 1 (clamped), the
    /// grey replicated to 3 channels.
    /// </summary>
    public static FloatImage HaematoxylinImage(FloatImage rgb)
    {
        var hed = Hed(rgb);
        int n = hed.PixelCount;
        var h = new float[n];
        for (int p = 0; p < n; p++) h[p] = hed.Data[p * 3 + H];
        var (lo, hi) = new Normalization([0.0], [1.0], PerImagePercentile: true, StretchLow, StretchHigh).PercentilesOf(h);
        float scale = hi - lo > 1e-9f ? 1f / (hi - lo) : 0f;
        var dst = new FloatImage(rgb.Height, rgb.Width, 3);
        for (int p = 0; p < n; p++)
        {
            float v = Math.Clamp((h[p] - lo) * scale, 0f, 1f);
            dst.Data[p * 3] = dst.Data[p * 3 + 1] = dst.Data[p * 3 + 2] = v;
        }
        return dst;
    }

    static void RequireColour(FloatImage rgb)
    {
        if (rgb.Channels < 3)
            throw new ArgumentException($"colour deconvolution needs an RGB image, got {rgb.Channels} channel(s)");
    }
}
