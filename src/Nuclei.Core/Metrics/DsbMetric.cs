using Nuclei.Core.Imaging;

namespace Nuclei.Core.Metrics;

/// <summary>
/// The Kaggle 2018 Data Science Bowl metric, as defined on the competition's Evaluation page
/// (https://www.kaggle.com/c/data-science-bowl-2018/overview/evaluation): for each IoU threshold
/// t ∈ {0.50, 0.55, …, 0.95}, a predicted object matches a true object when IoU(A, B) &gt; t (strictly);
/// precision(t) = TP(t) / (TP(t) + FP(t) + FN(t)), where TP counts matched true objects, FN unmatched true
/// objects and FP unmatched predicted objects. An image scores the mean of precision(t) over the thresholds;
/// the dataset scores the mean over images. An image with no true and no predicted objects scores 1; one with
/// objects on only one side scores 0.
/// Since every threshold is ≥ 0.5, an object can match at most one other (two objects with IoU &gt; 0.5 with the
/// same object would have to overlap by more than half of it each), so TP is simply the number of pairs whose
/// IoU exceeds t: no assignment problem to solve.
/// </summary>
internal static class DsbMetric
{
    /// <summary>The thresholds × 100: 50, 55, …, 95.</summary>
    public static readonly IReadOnlyList<int> ThresholdPercents = Enumerable.Range(0, 10).Select(k => 50 + 5 * k).ToArray();

    public static ImageScore Score(LabelImage truth, LabelImage pred) => Score(ObjectOverlaps.Compute(truth, pred));

    public static ImageScore Score(ObjectOverlaps overlaps)
    {
        int nTrue = overlaps.TrueAreas.Count, nPred = overlaps.PredAreas.Count;
        var counts = new ThresholdCounts[ThresholdPercents.Count];
        for (int k = 0; k < counts.Length; k++)
        {
            int percent = ThresholdPercents[k];
            int tp = 0;
            foreach (var (t, p, inter) in overlaps.Pairs)
            {
                long union = overlaps.Union(t, p, inter);
                if (inter * 100 > (long)percent * union) tp++; // IoU > t, exactly
            }
            counts[k] = new ThresholdCounts(percent, tp, nPred - tp, nTrue - tp);
        }
        double meanAp = counts.Average(c => c.Precision);
        return new ImageScore(meanAp, counts, nTrue, nPred);
    }
}
