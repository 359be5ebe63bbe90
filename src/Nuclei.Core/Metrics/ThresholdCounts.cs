namespace Nuclei.Core.Metrics;

/// <summary>
/// Object matches at one IoU threshold. <see cref="ThresholdPercent"/> is the threshold × 100 (50, 55, … 95),
/// kept whole so "IoU &gt; t" is decided exactly in integers.
/// </summary>
internal readonly record struct ThresholdCounts(int ThresholdPercent, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Threshold => ThresholdPercent / 100.0;

    /// <summary>The competition's precision TP / (TP + FP + FN); 1 when there is nothing to find and nothing found.</summary>
    public double Precision
    {
        get
        {
            int denominator = TruePositives + FalsePositives + FalseNegatives;
            return denominator == 0 ? 1.0 : (double)TruePositives / denominator;
        }
    }

    /// <summary>F1 = 2TP / (2TP + FP + FN); 1 when there is nothing to find and nothing found.</summary>
    public double F1
    {
        get
        {
            int denominator = 2 * TruePositives + FalsePositives + FalseNegatives;
            return denominator == 0 ? 1.0 : 2.0 * TruePositives / denominator;
        }
    }

    public static ThresholdCounts operator +(ThresholdCounts a, ThresholdCounts b) =>
        new(a.ThresholdPercent, a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives);
}
