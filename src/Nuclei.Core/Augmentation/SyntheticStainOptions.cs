using Nuclei.Core.Settings;

namespace Nuclei.Core.Augmentation;

/// <summary>Which stain pair <see cref="SyntheticStain.Render"/> draws: haematoxylin with eosin, with DAB, or either (even odds).</summary>
internal enum SyntheticStainKind { Any, He, Ihc }

/// <summary>
/// The ranges <see cref="SyntheticStain.Render"/> draws from, per image. Densities are optical densities in base-10
/// units (OD = −log10(I / I0)), so 1.0 lets a tenth of the light through along the stain's strongest channel.
/// </summary>
internal sealed record SyntheticStainOptions
{
    public SyntheticStainKind Kind { get; init; } = SyntheticStainKind.Any;
    /// <summary>Each component of a stain vector moves by up to ± this much before the vector is renormalised.</summary>
    public double VectorJitter { get; init; } = 0.15;
    /// <summary>Haematoxylin density of nuclei (per image); each nucleus then varies by ± <see cref="NucleusVariation"/>.</summary>
    public double NucleusDensityMin { get; init; } = 0.15;
    public double NucleusDensityMax { get; init; } = 1.2;
    /// <summary>Nuclei of one slide range from pale to dark: the widest real spread is about ±50 % of the mean density.</summary>
    public double NucleusVariation { get; init; } = 0.5;
    /// <summary>Eosin in the nuclei of H&amp;E images, as a share of their haematoxylin (per image): blue to purple nuclei.</summary>
    public double NuclearEosinMin { get; init; } = 0.1;
    public double NuclearEosinMax { get; init; } = 0.8;
    /// <summary>Counterstain (eosin) density of cytoplasm and stroma (per image).</summary>
    public double BackgroundDensityMin { get; init; } = 0.02;
    public double BackgroundDensityMax { get; init; } = 0.6;
    /// <summary>Largest counterstain density of the cell bodies around the nuclei (per image, from 0).</summary>
    public double CytoplasmDensityMax { get; init; } = 0.5;
    /// <summary>Share of images with patches of bare glass (near-white background).</summary>
    public double GlassProbability { get; init; } = 0.5;
    /// <summary>Acquisition: Gaussian blur sigma (px) and Gaussian noise sigma (0..1 intensity) up to these.</summary>
    public double BlurSigmaMax { get; init; } = 1.5;
    public double NoiseSigmaMax { get; init; } = 0.03;
    /// <summary>Share of images re-encoded as JPEG, at a quality uniform in [JpegQualityMin, JpegQualityMax].</summary>
    public double JpegProbability { get; init; } = 0.5;
    public int JpegQualityMin { get; init; } = 40;
    public int JpegQualityMax { get; init; } = 95;

    /// <summary>Parses the command line's he | ihc | any.</summary>
    public static SyntheticStainKind ParseKind(string value) => value.Trim().ToLowerInvariant() switch
    {
        "he" => SyntheticStainKind.He,
        "ihc" => SyntheticStainKind.Ihc,
        "any" => SyntheticStainKind.Any,
        _ => throw new NucleiInputException(null, $"{Setting.SyntheticKind} must be one of he, ihc, any, got '{value}'"),
    };
}
