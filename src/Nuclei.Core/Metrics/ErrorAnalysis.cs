namespace Nuclei.Core.Metrics;

/// <summary>
/// Object-level error analysis of a segmentation against its truth, after the error categories of
/// Caicedo et al. 2019, "Evaluation of Deep Learning Strategies for Nucleus Segmentation in Fluorescence Images"
/// (Cytometry A 95:952), which counts missed, extra, merged and split nuclei. The rules, decided on pixel counts:
/// <list type="bullet">
/// <item>match: a (true, predicted) pair with IoU &gt; 0.5, the first threshold of the DSB2018 metric (at most one
/// partner each, see <see cref="DsbMetric"/>); a false positive is a predicted object in no match, a miss a true one.</item>
/// <item>merge: a predicted object that covers more than half of each of two or more true objects
/// (|T∩P| &gt; |T|/2 for each of them).</item>
/// <item>split: a true object that holds more than half of each of two or more predicted objects
/// (|T∩P| &gt; |P|/2 for each of them).</item>
/// </list>
/// Since a pixel belongs to one object, at most one predicted object can cover more than half of a true object
/// (and the other way round), so these rules never count an object twice.
/// </summary>
internal static class ErrorAnalysis
{
    public static ObjectErrors Analyze(ObjectOverlaps overlaps)
    {
        var matches = Matches(overlaps);
        var matchedTrue = matches.Select(m => m.True).ToHashSet();
        var matchedPred = matches.Select(m => m.Pred).ToHashSet();
        return new ObjectErrors(
            matches,
            overlaps.PredAreas.Keys.Where(p => !matchedPred.Contains(p)).Order().ToList(),
            overlaps.TrueAreas.Keys.Where(t => !matchedTrue.Contains(t)).Order().ToList(),
            Merges(overlaps),
            Splits(overlaps));
    }

    /// <summary>The pairs with IoU &gt; 0.5, ordered by true label.</summary>
    public static IReadOnlyList<(int True, int Pred)> Matches(ObjectOverlaps overlaps) =>
        overlaps.Pairs.Where(q => q.Intersection * 2 > overlaps.Union(q.True, q.Pred, q.Intersection))
            .Select(q => (q.True, q.Pred)).OrderBy(m => m.True).ToList();

    /// <summary>Predicted labels that cover more than half of each of at least two true objects.</summary>
    public static IReadOnlyList<int> Merges(ObjectOverlaps overlaps) =>
        overlaps.Pairs.Where(q => q.Intersection * 2 > overlaps.TrueAreas[q.True])
            .GroupBy(q => q.Pred).Where(g => g.Count() >= 2).Select(g => g.Key).Order().ToList();

    /// <summary>True labels that hold more than half of each of at least two predicted objects.</summary>
    public static IReadOnlyList<int> Splits(ObjectOverlaps overlaps) =>
        overlaps.Pairs.Where(q => q.Intersection * 2 > overlaps.PredAreas[q.Pred])
            .GroupBy(q => q.True).Where(g => g.Count() >= 2).Select(g => g.Key).Order().ToList();
}
