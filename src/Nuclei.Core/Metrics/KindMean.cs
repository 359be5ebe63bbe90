namespace Nuclei.Core.Metrics;

/// <summary>
/// The mean over kinds of image of per-kind scores: every kind counts once, so the many fluorescence images of a
/// set cannot outvote its few brightfield ones. Validation, threshold tuning and `evaluate --by-kind` all use it.
/// </summary>
internal static class KindMean
{
    /// <summary>The mean of <paramref name="byKind"/>, or <paramref name="whenNoKinds"/> when no image has a kind.</summary>
    public static double Of(IEnumerable<double> byKind, double whenNoKinds)
    {
        var scores = byKind.ToList();
        return scores.Count == 0 ? whenNoKinds : scores.Average();
    }
}
