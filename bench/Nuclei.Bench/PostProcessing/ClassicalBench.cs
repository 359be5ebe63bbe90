using System.Diagnostics;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Bench.PostProcessing;

/// <summary>The classical segmenter (no deep learning) on training images, both policies: mean AP against the truth and time per image.</summary>
public static class ClassicalBench
{
    public static void Run(string dataDir, int count, string only = "", double fraction = Markers.DefaultPeakDistanceFraction)
    {
        var ids = TruthLoader.Spread(dataDir, count);
        var policies = new[] { SplitPolicy.Watershed, SplitPolicy.RandomWalker };
        var sums = new double[2]; var times = new double[2];
        foreach (var id in ids)
        {
            var (truth, h, w) = TruthLoader.Load(id);
            var image = ImageIO.ReadImage(id.ImagePath);
            for (int p = 0; p < 2; p++)
            {
                if (only != "" && policies[p].ShortName() != only) continue;
                var sw = Stopwatch.StartNew();
                var labels = ClassicalSegmenter.Segment(image, new ClassicalOptions { Policy = policies[p], PeakDistanceFraction = fraction });
                times[p] += sw.Elapsed.TotalMilliseconds;
                sums[p] += BenchMetric.MeanAp(h, w, truth, labels.Data);
            }
        }
        Console.WriteLine($"classical segmenter on {ids.Count} image(s) of {dataDir}");
        for (int p = 0; p < 2; p++)
            Console.WriteLine($"  {policies[p].ShortName()}  mean_ap={sums[p] / ids.Count:F4}  ms/image={times[p] / ids.Count:F1}");
    }
}
