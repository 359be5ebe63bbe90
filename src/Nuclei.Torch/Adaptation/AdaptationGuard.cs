using System.Globalization;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// Whether an adapted model may replace the original: its self-consistency (mean agreement of plain and augmented
/// segmentations) must not fall, and, since two empty segmentations agree perfectly, it must still find at least half
/// as many nuclei as the original did on the same images. The same reason makes the agreement of an original that finds
/// almost nothing on the images (under one nucleus per image; a network whose batch-norm statistics do not fit a new
/// stain can collapse so) no bar: its agreement is mostly that of empty segmentations. An adapted model that then finds
/// at least <see cref="RevivalFactor"/> times as many nuclei is written, and the output says why.
/// </summary>
public static class AdaptationGuard
{
    /// <summary>How many times as many nuclei an adapted model must find for a collapsed original's agreement not to bind it.</summary>
    public const int RevivalFactor = 10;

    /// <summary>Why the adapted model is worse, or null when it may be written.</summary>
    /// <param name="images">how many images the counts and agreements are over</param>
    public static string? Refusal(double agreementBefore, double agreementAfter, int nucleiBefore, int nucleiAfter, int images)
    {
        if (2L * nucleiAfter < nucleiBefore)
            return Invariant($"the adapted model finds {nucleiAfter} nuclei where the model found {nucleiBefore} (agreement {agreementBefore:0.0000} -> {agreementAfter:0.0000})");
        if (agreementAfter < agreementBefore - 1e-9 && RevivedFromCollapse(nucleiBefore, nucleiAfter, images) is null)
            return Invariant($"agreement of plain and TTA segmentation fell from {agreementBefore:0.0000} to {agreementAfter:0.0000}");
        return null;
    }

    /// <summary>
    /// When the original found under one nucleus per image and the adapted model at least <see cref="RevivalFactor"/>
    /// times as many, the sentence saying so (the original's agreement does not bind); otherwise null.
    /// </summary>
    public static string? RevivedFromCollapse(int nucleiBefore, int nucleiAfter, int images) =>
        images > 0 && nucleiBefore < images && nucleiAfter >= (long)RevivalFactor * Math.Max(1, nucleiBefore)
            ? Invariant($"the model found {nucleiBefore} nuclei in {images} image(s), fewer than one per image, and the adapted model {nucleiAfter}: the original's agreement, mostly of empty segmentations, is no bar")
            : null;

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
