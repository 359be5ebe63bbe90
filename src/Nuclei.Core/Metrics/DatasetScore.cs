namespace Nuclei.Core.Metrics;

/// <summary>
/// A dataset's score: the mean over images of the per-image score (the competition's number), plus
/// TP/FP/FN totals per threshold, the precision of those totals, and F1 at IoU 0.5 over all objects.
/// </summary>
internal sealed record DatasetScore(double MeanAp, int Images, IReadOnlyList<ThresholdCounts> Totals)
{
    public double F1At50 => Totals[0].F1;

    public static DatasetScore Aggregate(IEnumerable<ImageScore> scores)
    {
        var list = scores.ToList();
        var totals = DsbMetric.ThresholdPercents.Select(t => new ThresholdCounts(t, 0, 0, 0)).ToArray();
        foreach (var s in list)
            for (int k = 0; k < totals.Length; k++)
                totals[k] += s.PerThreshold[k];
        return new DatasetScore(list.Count == 0 ? 0 : list.Average(s => s.MeanAp), list.Count, totals);
    }
}
