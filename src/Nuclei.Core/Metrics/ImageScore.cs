namespace Nuclei.Core.Metrics;

/// <summary>The competition score of one image, with the matches at each threshold behind it.</summary>
internal sealed record ImageScore(double MeanAp, IReadOnlyList<ThresholdCounts> PerThreshold, int TrueObjects, int PredictedObjects)
{
    /// <summary>F1 at IoU &gt; 0.5 (the first threshold).</summary>
    public double F1At50 => PerThreshold[0].F1;
}
