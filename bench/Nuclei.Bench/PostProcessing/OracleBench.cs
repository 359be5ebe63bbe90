using System.Diagnostics;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Bench.PostProcessing;

/// <summary>
/// Partition on oracle maps made from the training truth (TruthMaps: body, contour, marker shrunk by 2 px), for both
/// policies and for each combination of maps, scored against the truth: the full-set figure of the post-processing oracle test.
/// </summary>
public static class OracleBench
{
    public static void Run(string dataDir, int count)
    {
        var ids = TruthLoader.Spread(dataDir, count);
        var variants = new (string Name, bool Contour, bool Marker, SplitPolicy Policy)[]
        {
            ("body+contour+marker ws", true, true, SplitPolicy.Watershed),
            ("body+contour+marker rw", true, true, SplitPolicy.RandomWalker),
            ("body+contour ws", true, false, SplitPolicy.Watershed),
            ("body+contour rw", true, false, SplitPolicy.RandomWalker),
            ("body only ws", false, false, SplitPolicy.Watershed),
            ("body only rw", false, false, SplitPolicy.RandomWalker),
        };
        var sums = new double[variants.Length];
        var times = new double[variants.Length];
        foreach (var id in ids)
        {
            var (truth, h, w) = TruthLoader.Load(id);
            var body = new FloatImage(h, w, 1, TruthMaps.Body(truth));
            var contour = new FloatImage(h, w, 1, TruthMaps.Contour(h, w, truth));
            var marker = new FloatImage(h, w, 1, TruthMaps.Marker(h, w, truth, 2));
            for (int v = 0; v < variants.Length; v++)
            {
                var (_, c, m, policy) = variants[v];
                var sw = Stopwatch.StartNew();
                var pred = Partition.Run(body, c ? contour : null, m ? marker : null, new PartitionOptions { Policy = policy });
                times[v] += sw.Elapsed.TotalMilliseconds;
                sums[v] += BenchMetric.MeanAp(h, w, truth, pred.Data);
            }
        }
        Console.WriteLine($"oracle partition on {ids.Count} image(s) of {dataDir}");
        for (int v = 0; v < variants.Length; v++)
            Console.WriteLine($"  {variants[v].Name,-24} mean_ap={sums[v] / ids.Count:F4}  ms/image={times[v] / ids.Count:F1}");
    }
}
