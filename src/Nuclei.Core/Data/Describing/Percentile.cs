namespace Nuclei.Core.Data.Describing;

/// <summary>Percentiles by linear interpolation between closest ranks (numpy.percentile's default).</summary>
internal static class Percentile
{
    /// <summary>The <paramref name="q"/>-quantile (0..1) of the values; 0 for none.</summary>
    public static double Of(IReadOnlyCollection<int> values, double q)
    {
        if (values.Count == 0) return 0;
        return OfSorted(values.Select(v => (double)v).Order().ToArray(), q);
    }

    /// <summary>The <paramref name="q"/>-quantile (0..1) of values already sorted ascending (at least one).</summary>
    public static double OfSorted(double[] sorted, double q)
    {
        double rank = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }
}
