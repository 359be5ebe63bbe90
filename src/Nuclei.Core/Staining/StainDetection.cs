using Nuclei.Core.Data;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Staining;

/// <summary>
/// segment --stain auto: which stain an image looks like, from its statistics. A colour image on a bright background
/// (<see cref="ImageKind.ColourBright"/>: brightfield, stained tissue) is H&amp;E, or IHC when DAB is a substantial part
/// of its staining (<see cref="DabShare"/>); every other image (fluorescence, grey brightfield) is left as it is.
/// </summary>
internal static class StainDetection
{
    /// <summary>
    /// A pixel counts as stained when one of its densities (<see cref="StainSeparation.Hed"/>, scikit-image's scale) is
    /// above this: about 35 % absorbed in one colour (0.03 × ln 10⁶ ≈ 0.41 natural OD), well above blank glass.
    /// </summary>
    public const float StainedDensity = 0.03f;

    /// <summary>The share of stained pixels that must be DAB-dominated for an image to count as IHC.</summary>
    public const double IhcShare = 0.15;

    public static Stain Of(FloatImage image)
    {
        if (ImageKind.Of(image) != ImageKind.ColourBright) return Stain.None;
        return DabShare(image) >= IhcShare ? Stain.Ihc : Stain.He;
    }

    /// <summary>
    /// Of the stained pixels, the share whose DAB density exceeds both their haematoxylin and their eosin density (brown).
    /// Eosin too: the HED matrix gives pink eosin a DAB density above its (zero) haematoxylin one, so DAB over H alone
    /// would call eosin-rich H&amp;E images IHC. 0 when no pixel is stained.
    /// </summary>
    public static double DabShare(FloatImage image)
    {
        var hed = StainSeparation.Hed(image);
        long stained = 0, brown = 0;
        for (int p = 0; p < hed.PixelCount; p++)
        {
            float h = hed.Data[p * 3 + StainSeparation.H], e = hed.Data[p * 3 + StainSeparation.E], d = hed.Data[p * 3 + StainSeparation.Dab];
            if (Math.Max(h, Math.Max(e, d)) <= StainedDensity) continue;
            stained++;
            if (d > h && d > e) brown++;
        }
        return stained == 0 ? 0 : brown / (double)stained;
    }
}
