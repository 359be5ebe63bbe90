using System.Globalization;
using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Whether the first pass of --diameter auto (at the image's own scale) is fit to measure the nuclei by: too few
/// objects (under <see cref="MinNuclei"/>), implausibly small ones (median under <see cref="MinDiameter"/> px: noise, or
/// nuclei the model broke into crumbs) or nuclei covering a tiny share of what the network calls foreground
/// (<see cref="NucleiCoverage.TooLittle"/>) would give a factor that throws the image out of scale. Then the image
/// keeps its own scale.
/// </summary>
internal static class AutoDiameterTrust
{
    public const int MinNuclei = 3;
    public const double MinDiameter = 4.0;

    /// <summary>Why the first pass cannot be trusted (for a warning), or null when it can.</summary>
    /// <param name="semantic">the semantic probability map of that pass, at the labels' size (null: not checked)</param>
    public static string? Doubt(LabelImage labels, FloatImage? semantic) => Doubt(labels, NucleusSize.MedianDiameter(labels), semantic);

    /// <param name="medianDiameter">the labels' <see cref="NucleusSize.MedianDiameter(LabelImage)"/>, when the caller has it already</param>
    public static string? Doubt(LabelImage labels, double? medianDiameter, FloatImage? semantic)
    {
        int count = labels.MaxLabel();
        if (count < MinNuclei) return $"found {(count == 1 ? "1 nucleus" : $"{count} nuclei")} at the image's own scale, too few to measure their size by";
        if (medianDiameter is double d && d < MinDiameter)
            return string.Create(CultureInfo.InvariantCulture, $"found nuclei of {d:0.#} px median diameter at the image's own scale, implausibly small");
        if (semantic is not null && NucleiCoverage.Of(labels, semantic) is { TooLittle: true } c)
            return string.Create(CultureInfo.InvariantCulture, $"found {count} nuclei covering {c.Fraction:0%} of the foreground at the image's own scale, too little to measure their size by");
        return null;
    }
}
