using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Tests.PostProcessing;

/// <summary>
/// The post-processing oracle: maps derived from the training truth (body = union of masks, contour = boundaries between and
/// around nuclei, marker = masks shrunk by 2 px) partitioned by both policies score mean AP ≥ 0.95 against the truth.
/// A fixed spread-out subset (every 8th image) keeps it to seconds; the full-set figure comes from
/// `Nuclei.Bench postprocessing oracle`.
/// </summary>
public class OracleTests
{
    [SkippableFact]
    public void Partition_of_truth_derived_maps_recovers_the_truth()
    {
        string root = TestData.RequireStage1Train();
        var samples = DsbDataset.Scan(root).Samples.Where((_, i) => i % 8 == 0).ToList();
        var sums = new Dictionary<SplitPolicy, double> { [SplitPolicy.Watershed] = 0, [SplitPolicy.RandomWalker] = 0 };
        foreach (var sample in samples)
        {
            LabelImage truth = DsbDataset.LoadLabels(sample);
            int h = truth.Height, w = truth.Width;
            var body = new FloatImage(h, w, 1, TruthMaps.Body(truth.Data));
            var contour = new FloatImage(h, w, 1, TruthMaps.Contour(h, w, truth.Data));
            var marker = new FloatImage(h, w, 1, TruthMaps.Marker(h, w, truth.Data, 2));
            foreach (var policy in sums.Keys.ToList())
            {
                var pred = Partition.Run(body, contour, marker, new PartitionOptions { Policy = policy });
                sums[policy] += DsbMetric.Score(truth, pred).MeanAp;
            }
        }
        foreach (var (policy, sum) in sums)
        {
            double meanAp = sum / samples.Count;
            Assert.True(meanAp >= 0.95, $"{policy}: mean AP {meanAp:F4} on {samples.Count} images, expected >= 0.95");
        }
    }
}
