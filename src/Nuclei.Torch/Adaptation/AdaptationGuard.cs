using System.Globalization;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// Whether an adapted model may replace the original: its self-consistency (mean agreement of plain and augmented
/// segmentations) must not fall, and, since two empty segmentations agree perfectly, it must still find at least half
/// as many nuclei as the original did on the same images. The same reason makes the agreement of an original that finds
/// almost nothing on the images (under one nucleus per image; a network whose batch-norm statistics do not fit a new
/// stain can collapse so) no bar: its agreement is mostly that of empty segmentations. An adapted model that then finds
/// at least <see cref="RevivalFactor"/> times as many nuclei is written, and the output says why. Over
/// <see cref="MinImagesForSpread"/> or more images the agreement must also rise by more than two standard errors of
/// its per-image gains (a one-sided paired test at about 2.5 %): a model that already agrees with itself there has
/// little to learn from its own labels, and a gain within the noise is no evidence against the drift that fine-tuning
/// on them brings.
/// </summary>
internal static class AdaptationGuard
{
    /// <summary>Fewer images than this give no usable estimate of the gains' spread: then only a fall refuses.</summary>
    public const int MinImagesForSpread = 10;

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
    /// <see cref="Refusal(double, double, int, int, int)"/> over the per-image agreements (the same images, in the same
    /// order), and also a refusal when the mean gain is not above two standard errors of the per-image gains.
    /// </summary>
    public static string? Refusal(IReadOnlyList<double> before, IReadOnlyList<double> after, int nucleiBefore, int nucleiAfter)
    {
        if (before.Count != after.Count || before.Count == 0) throw new ArgumentException("one agreement per image, before and after");
        double meanBefore = before.Average(), meanAfter = after.Average();
        if (Refusal(meanBefore, meanAfter, nucleiBefore, nucleiAfter, before.Count) is string why) return why;
        if (meanAfter < meanBefore || RevivedFromCollapse(nucleiBefore, nucleiAfter, before.Count) is not null) return null;
        var (gain, twoSe) = GainAndTwoStandardErrors(before, after);
        return twoSe is double noise && gain <= noise
            ? Invariant($"self-consistency rose by {gain:0.0000} only, within two standard errors ({noise:0.0000}) of the gains over {before.Count} images: the model already agrees with itself on them, and self-training cannot be shown to help; the original is kept")
            : null;
    }

    /// <summary>The mean per-image gain and two standard errors of it; null for the latter under <see cref="MinImagesForSpread"/> images.</summary>
    public static (double Gain, double? TwoStandardErrors) GainAndTwoStandardErrors(IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        int n = before.Count;
        var gains = Enumerable.Range(0, n).Select(i => after[i] - before[i]).ToArray();
        double mean = gains.Average();
        if (n < MinImagesForSpread) return (mean, null);
        double variance = gains.Sum(g => (g - mean) * (g - mean)) / (n - 1);
        return (mean, 2 * Math.Sqrt(variance / n));
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
