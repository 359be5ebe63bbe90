using Nuclei.Core.Data;

namespace Nuclei.Bench.PostProcessing;

/// <summary>The bench's view of a DSB2018 training folder (through Nuclei.Core.Data.DsbDataset): an even spread of samples and their label maps.</summary>
internal static class TruthLoader
{
    /// <summary>All samples (count ≤ 0) or <paramref name="count"/> of them spread evenly over the sorted ids.</summary>
    public static IReadOnlyList<AnnotatedSample> Spread(string dataDir, int count)
    {
        var all = DsbDataset.Scan(dataDir).Samples;
        if (count <= 0 || count >= all.Count) return all;
        return Enumerable.Range(0, count).Select(k => all[(int)((long)k * all.Count / count)]).ToList();
    }

    public static (int[] Labels, int Height, int Width) Load(AnnotatedSample sample)
    {
        var labels = DsbDataset.LoadLabels(sample);
        return (labels.Data, labels.Height, labels.Width);
    }
}
