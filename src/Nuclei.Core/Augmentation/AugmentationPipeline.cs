using Nuclei.Core.Staining;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// One random training view of an (image, labels) pair. The crop, scale, aspect and rotation are composed
/// into a single affine warp over only the output pixels (cheap whatever the source size); then elastic
/// distortion, exact flips and 90° turns; a synthetic stained rendering of the labels for a share of views; then the
/// colour transforms (which also vary the synthetic stains). Deterministic given the Random.
/// Targets (contours, markers, weights) are derived from the returned labels, i.e. after the geometry.
/// </summary>
internal sealed class AugmentationPipeline
{
    public AugmentationOptions Options { get; }

    public AugmentationPipeline(AugmentationOptions options) => Options = options;

    public (FloatImage Image, LabelImage Labels) Apply(FloatImage image, LabelImage labels, Random rng)
    {
        Geometry.CheckSameSize(image, labels);
        var o = Options;
        var img = ColorTransforms.ToThreeChannels(image);
        var lab = labels;
        // Drawn first (and only when on, so that other settings see the same random stream): a synthetic view is
        // also enlarged by U(0.5, SyntheticStainScaleMax) in the crop's warp.
        bool synthetic = o.SyntheticStainProbability > 0 && rng.NextDouble() < o.SyntheticStainProbability;
        double extraScale = synthetic ? 0.5 + rng.NextDouble() * (Math.Max(0.5, o.SyntheticStainScaleMax) - 0.5) : 1;

        (img, lab) = RandomAffine(img, lab, extraScale, rng);
        if (o.Elastic && o.ElasticAlpha > 0) (img, lab) = ElasticDistortion.Apply(img, lab, o.ElasticAlpha, o.ElasticGrid, rng);
        if (o.Flip)
        {
            if (rng.Next(2) == 1) { img = Geometry.FlipHorizontal(img); lab = Geometry.FlipHorizontal(lab); }
            if (rng.Next(2) == 1) { img = Geometry.FlipVertical(img); lab = Geometry.FlipVertical(lab); }
        }
        if (o.Rotate90)
        {
            int k = rng.Next(4);
            if (k != 0) { img = Geometry.Rotate90(img, k); lab = Geometry.Rotate90(lab, k); }
        }
        if (synthetic) img = SyntheticStain.Render(lab, img, new SyntheticStainOptions(), rng);
        if (o.LowResolutionProbability > 0 && rng.NextDouble() < o.LowResolutionProbability)
            img = LowResolution.Apply(img, o.LowResolutionMinFactor, rng);
        if (o.StainJitter) img = StainJitter.Apply(img, o.StainSigma, rng);
        if (o.ColorJitter) img = ColorTransforms.Jitter(img, o.Brightness, o.Contrast, o.Saturation, o.Hue, rng);
        // Drawn only when on, so that other settings see the same random stream.
        if (o.HaematoxylinProbability > 0 && rng.NextDouble() < o.HaematoxylinProbability && !ImageKind.IsGrey(img))
            img = StainSeparation.HaematoxylinImage(img);
        if (o.ChannelShuffle) img = ColorTransforms.ShuffleChannels(img, rng);
        if (o.GrayProbability > 0 && rng.NextDouble() < o.GrayProbability) img = ColorTransforms.ToGray(img);
        if (o.ColorInvert && rng.Next(2) == 1) img = ColorTransforms.Invert(img);
        // Each drawn only when on, so that other settings see the same random stream.
        if (o.IntensityCurveProbability > 0 && rng.NextDouble() < o.IntensityCurveProbability) img = AppearanceTransforms.MonotoneCurve(img, rng);
        if (o.ChannelMixProbability > 0 && rng.NextDouble() < o.ChannelMixProbability) img = AppearanceTransforms.MixChannels(img, o.ChannelMixStrength, rng);
        if (o.BlurProbability > 0 && rng.NextDouble() < o.BlurProbability) img = AppearanceTransforms.Blur(img, o.BlurMaxSigma, rng);
        if (o.Clahe && rng.Next(2) == 1) img = ColorTransforms.Clahe(img);
        if (o.Noise && rng.Next(2) == 1) img = ColorTransforms.AddNoise(img, o.NoiseSigma, o.SpeckleSigma, rng);
        return (img, lab);
    }

    /// <summary>
    /// Random crop (output CropSize², or the whole image when cropping is off) under a random scale, aspect and rotation;
    /// <paramref name="extraScale"/> multiplies the random scale.
    /// </summary>
    (FloatImage, LabelImage) RandomAffine(FloatImage img, LabelImage lab, double extraScale, Random rng)
    {
        var o = Options;
        int outH = o.Crop ? o.CropSize : img.Height, outW = o.Crop ? o.CropSize : img.Width;
        double sx = 1, sy = 1, angle = 0;
        if (o.MaxScale > o.MinScale || o.MinScale != 1)
        {
            sx = o.MinScale + rng.NextDouble() * (o.MaxScale - o.MinScale);
            sy = o.Aspect ? o.MinScale + rng.NextDouble() * (o.MaxScale - o.MinScale) : sx;
        }
        sx *= extraScale; sy *= extraScale;
        if (o.Rotate && o.MaxAngle > 0) angle = (rng.NextDouble() * 2 - 1) * o.MaxAngle * Math.PI / 180;

        bool pureCrop = sx == 1 && sy == 1 && angle == 0;
        if (pureCrop && !o.Crop) return (img, lab);
        if (pureCrop && img.Height >= outH && img.Width >= outW)
        {
            int top = rng.Next(img.Height - outH + 1), left = rng.Next(img.Width - outW + 1);
            return (Geometry.Crop(img, top, left, outH, outW), Geometry.Crop(lab, top, left, outH, outW));
        }

        // Output offset from its centre → source offset: rotate(angle) · diag(1/sx, 1/sy).
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double a00 = cos / sx, a01 = -sin / sy, a10 = sin / sx, a11 = cos / sy;
        double halfW = (outW - 1) / 2.0, halfH = (outH - 1) / 2.0;
        double extentX = Math.Abs(a00) * halfW + Math.Abs(a01) * halfH;
        double extentY = Math.Abs(a10) * halfW + Math.Abs(a11) * halfH;
        double cx = o.Crop ? RandomCentre(rng, img.Width, extentX) : (img.Width - 1) / 2.0;
        double cy = o.Crop ? RandomCentre(rng, img.Height, extentY) : (img.Height - 1) / 2.0;
        double[] m = { a00, a01, cx - a00 * halfW - a01 * halfH, a10, a11, cy - a10 * halfW - a11 * halfH };
        return Geometry.WarpAffine(img, lab, m, outH, outW);
    }

    /// <summary>A crop centre keeping the footprint inside the image when it fits; otherwise anywhere over the image.</summary>
    static double RandomCentre(Random rng, int size, double extent)
    {
        double lo = extent, hi = size - 1 - extent;
        if (hi < lo) { lo = 0; hi = size - 1; }
        return lo + rng.NextDouble() * (hi - lo);
    }
}
