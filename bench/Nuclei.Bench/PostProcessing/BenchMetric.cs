using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Bench.PostProcessing;

/// <summary>The DSB2018 image score through Nuclei.Core.Metrics.DsbMetric.</summary>
public static class BenchMetric
{
    public static double MeanAp(int height, int width, int[] truth, int[] pred)
        => DsbMetric.Score(new LabelImage(height, width, truth), new LabelImage(height, width, pred)).MeanAp;
}
