using Nuclei.Core.Imaging;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// Loss of detail as in an image acquired at a lower magnification and enlarged to the model's scale
/// (what <c>segment --diameter</c> does to images with small nuclei): shrink by a random factor with area
/// averaging, then enlarge back bilinearly. The geometry, and so the labels, are unchanged.
/// </summary>
internal static class LowResolution
{
    /// <param name="minFactor">Smallest shrink factor (0 &lt; minFactor ≤ 1); the factor is uniform in [minFactor, 1).</param>
    public static FloatImage Apply(FloatImage img, double minFactor, Random rng)
    {
        double f = minFactor + rng.NextDouble() * (1 - minFactor);
        int h = Math.Max(1, (int)Math.Round(img.Height * f)), w = Math.Max(1, (int)Math.Round(img.Width * f));
        if (h == img.Height && w == img.Width) return img;
        return Resampling.Resize(Resampling.Resize(img, h, w), img.Height, img.Width);
    }
}
