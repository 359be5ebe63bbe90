using System.Globalization;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// Whether an adapted model may replace the original: its self-consistency (mean agreement of plain and augmented
/// segmentations) must not fall, and, since two empty segmentations agree perfectly, it must still find at least half
/// as many nuclei as the original did on the same images.
/// </summary>
public static class AdaptationGuard
{
    /// <summary>Why the adapted model is worse, or null when it may be written.</summary>
    public static string? Refusal(double agreementBefore, double agreementAfter, int nucleiBefore, int nucleiAfter)
    {
        if (agreementAfter < agreementBefore - 1e-9)
            return string.Create(CultureInfo.InvariantCulture, $"agreement of plain and TTA segmentation fell from {agreementBefore:0.0000} to {agreementAfter:0.0000}");
        if (2L * nucleiAfter < nucleiBefore)
            return string.Create(CultureInfo.InvariantCulture, $"the adapted model finds {nucleiAfter} nuclei where the model found {nucleiBefore} (agreement {agreementBefore:0.0000} -> {agreementAfter:0.0000})");
        return null;
    }
}
