using Nuclei.Core.Configuration;

namespace Nuclei.Core.Augmentation;

/// <summary>Which augmentations run and how strongly; read from the [pre] section (crop size from [param] width).</summary>
internal sealed record AugmentationOptions
{
    public int CropSize { get; init; } = 256;
    public bool Crop { get; init; } = true;
    public bool Flip { get; init; } = true;
    public bool Rotate90 { get; init; } = true;
    public bool Rotate { get; init; } = true;
    public double MaxAngle { get; init; } = 180;
    public double MinScale { get; init; } = 0.5;
    public double MaxScale { get; init; } = 1.5;
    public bool Aspect { get; init; } = true;
    public bool Elastic { get; init; } = true;
    public double ElasticAlpha { get; init; } = 2.0;
    public double ElasticGrid { get; init; } = 10.0;
    public bool ColorJitter { get; init; } = true;
    public double Brightness { get; init; } = 0.2;
    public double Contrast { get; init; } = 0.2;
    public double Saturation { get; init; } = 0.2;
    public double Hue { get; init; } = 0.05;
    public bool ChannelShuffle { get; init; } = true;
    public double GrayProbability { get; init; } = 0.1;
    public bool ColorInvert { get; init; }
    public bool Clahe { get; init; }
    public bool Noise { get; init; }
    public double NoiseSigma { get; init; } = 0.03;
    public double SpeckleSigma { get; init; } = 0.1;
    public bool StainJitter { get; init; }
    public double StainSigma { get; init; } = 0.1;
    public double LowResolutionProbability { get; init; }
    public double LowResolutionMinFactor { get; init; } = 0.5;
    /// <summary>Share of colour views shown as their haematoxylin picture, as `segment --stain he` shows images to the network.</summary>
    public double HaematoxylinProbability { get; init; }
    /// <summary>Share of views whose image is replaced by <see cref="SyntheticStain.Render"/> of their labels.</summary>
    public double SyntheticStainProbability { get; init; }
    /// <summary>Those views are also enlarged by U(0.5, this) on top of the random scale (stained tissue is often imaged at higher magnification).</summary>
    public double SyntheticStainScaleMax { get; init; } = 2.0;
    /// <summary>Share of views whose grey levels go through a random monotone curve (<see cref="AppearanceTransforms.MonotoneCurve"/>).</summary>
    public double IntensityCurveProbability { get; init; }
    /// <summary>Share of views whose channels are mixed (<see cref="AppearanceTransforms.MixChannels"/>), with mixing weight up to <see cref="ChannelMixStrength"/>.</summary>
    public double ChannelMixProbability { get; init; }
    public double ChannelMixStrength { get; init; } = 0.5;
    /// <summary>Share of views blurred with sigma up to <see cref="BlurMaxSigma"/> px.</summary>
    public double BlurProbability { get; init; }
    public double BlurMaxSigma { get; init; } = 1.5;

    /// <summary>No augmentation at all: the image is only brought to 3 channels (and cropped when <paramref name="cropSize"/> &gt; 0).</summary>
    public static AugmentationOptions None(int cropSize = 0) => new()
    {
        CropSize = cropSize, Crop = cropSize > 0, Flip = false, Rotate90 = false, Rotate = false, MinScale = 1, MaxScale = 1,
        Aspect = false, Elastic = false, ColorJitter = false, ChannelShuffle = false, GrayProbability = 0,
    };

    public static AugmentationOptions FromConfiguration(NucleiConfiguration c) => new()
    {
        CropSize = c.GetInt("param", "width"),
        Crop = c.GetBool("pre", "crop"),
        Flip = c.GetBool("pre", "flip"),
        Rotate90 = c.GetBool("pre", "rotate90"),
        Rotate = c.GetBool("pre", "rotate"),
        MaxAngle = c.GetDouble("pre", "max_angle"),
        MinScale = c.GetDouble("pre", "min_scale"),
        MaxScale = c.GetDouble("pre", "max_scale"),
        Aspect = c.GetBool("pre", "aspect"),
        Elastic = c.GetBool("pre", "elastic_distortion"),
        ElasticAlpha = c.GetDouble("pre", "elastic_alpha"),
        ElasticGrid = c.GetDouble("pre", "elastic_sigma"),
        ColorJitter = c.GetBool("pre", "color_jitter"),
        Brightness = c.GetDouble("pre", "jitter_brightness"),
        Contrast = c.GetDouble("pre", "jitter_contrast"),
        Saturation = c.GetDouble("pre", "jitter_saturation"),
        Hue = c.GetDouble("pre", "jitter_hue"),
        ChannelShuffle = c.GetBool("pre", "channel_shuffle"),
        GrayProbability = c.GetDouble("pre", "gray_probability"),
        ColorInvert = c.GetBool("pre", "color_invert"),
        Clahe = c.GetBool("pre", "color_equalize"),
        Noise = c.GetBool("pre", "add_noise"),
        NoiseSigma = c.GetDouble("pre", "noise_sigma"),
        SpeckleSigma = c.GetDouble("pre", "speckle_sigma"),
        StainJitter = c.GetBool("pre", "stain_jitter"),
        StainSigma = c.GetDouble("pre", "stain_sigma"),
        LowResolutionProbability = c.GetDouble("pre", "low_resolution_probability"),
        LowResolutionMinFactor = c.GetDouble("pre", "low_resolution_min_factor"),
        HaematoxylinProbability = c.GetDouble("pre", "haematoxylin_probability"),
        SyntheticStainProbability = c.GetDouble("pre", "synthetic_stain_probability"),
        SyntheticStainScaleMax = c.GetDouble("pre", "synthetic_stain_scale_max"),
        IntensityCurveProbability = c.GetDouble("pre", "intensity_curve_probability"),
        ChannelMixProbability = c.GetDouble("pre", "channel_mix_probability"),
        ChannelMixStrength = c.GetDouble("pre", "channel_mix_strength"),
        BlurProbability = c.GetDouble("pre", "blur_probability"),
        BlurMaxSigma = c.GetDouble("pre", "blur_max_sigma"),
    };
}
