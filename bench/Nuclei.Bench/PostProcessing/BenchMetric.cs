namespace Nuclei.Bench.PostProcessing;

/// <summary>
/// The DSB2018 image score (mean over IoU thresholds 0.50..0.95 of TP/(TP+FP+FN), match = IoU &gt; t), for the
/// bench's own figures. Both empty scores 1.
/// </summary>
public static class BenchMetric
{
    public static double MeanAp(ReadOnlySpan<int> truth, ReadOnlySpan<int> pred)
    {
        var areaT = new Dictionary<int, int>(); var areaP = new Dictionary<int, int>();
        var inter = new Dictionary<long, int>();
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i], p = pred[i];
            if (t > 0) areaT[t] = areaT.GetValueOrDefault(t) + 1;
            if (p > 0) areaP[p] = areaP.GetValueOrDefault(p) + 1;
            if (t > 0 && p > 0) { long key = ((long)t << 32) | (uint)p; inter[key] = inter.GetValueOrDefault(key) + 1; }
        }
        if (areaT.Count == 0 && areaP.Count == 0) return 1;
        var ious = new List<double>();
        foreach (var (key, n) in inter)
        {
            int t = (int)(key >> 32), p = (int)(key & 0xffffffff);
            ious.Add((double)n / (areaT[t] + areaP[p] - n));
        }
        double sum = 0;
        for (int k = 0; k < 10; k++)
        {
            double th = 0.5 + 0.05 * k;
            int tp = ious.Count(v => v > th);
            int fp = areaP.Count - tp, fn = areaT.Count - tp;
            sum += (double)tp / (tp + fp + fn);
        }
        return sum / 10;
    }
}
