using System.Diagnostics;
using System.Globalization;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Bench.PostProcessing;

/// <summary>
/// Our side of the scikit-image comparison: for every prepared image, Watershed.Run (4-connectivity, as skimage's
/// default) and RandomWalker.Run (β = 130, tol = 1e-3) on the same inputs; writes ours_ws.npy / ours_rw.npy and
/// times_ours.csv (fastest of <c>reps</c> runs per image, 10·reps for the watershed, the figure least disturbed by other load, milliseconds, inputs already in memory).
/// </summary>
public static class SideBySideOurs
{
    public static void Run(string dir, int reps)
    {
        var rows = new List<string> { "id,height,width,markers,ws_ms,rw_ms" };
        var dirs = Directory.GetDirectories(dir).Order(StringComparer.Ordinal).ToList();
        bool warm = false;
        foreach (var d in dirs)
        {
            var (bodyA, h, w) = Npy.Read(Path.Combine(d, "body.npy"));
            var body = (float[])bodyA;
            var mask = ((int[])Npy.Read(Path.Combine(d, "mask.npy")).Data).Select(v => v != 0).ToArray();
            var markers = (int[])Npy.Read(Path.Combine(d, "markers.npy")).Data;
            var landscape = (float[])Npy.Read(Path.Combine(d, "landscape.npy")).Data;
            if (!warm) // JIT (up to the optimised tier) and thread-pool warm-up, not timed
            {
                for (int k = 0; k < 40; k++)
                {
                    Watershed.Run(h, w, landscape, markers, mask);
                    RandomWalker.Run(h, w, body, markers, mask);
                }
                Thread.Sleep(500);
                warm = true;
            }
            int[] ws = Array.Empty<int>(), rw = Array.Empty<int>();
            var wsTimes = new List<double>(); var rwTimes = new List<double>();
            // The watershed is cheap on both sides, so it gets 10x the repetitions (less noise from other load).
            for (int r = 0; r < 10 * reps; r++)
            {
                var sw = Stopwatch.StartNew();
                ws = Watershed.Run(h, w, landscape, markers, mask);
                wsTimes.Add(sw.Elapsed.TotalMilliseconds);
            }
            for (int r = 0; r < reps; r++)
            {
                var sw = Stopwatch.StartNew();
                rw = RandomWalker.Run(h, w, body, markers, mask);
                rwTimes.Add(sw.Elapsed.TotalMilliseconds);
            }
            Npy.Write(Path.Combine(d, "ours_ws.npy"), ws, h, w);
            Npy.Write(Path.Combine(d, "ours_rw.npy"), rw, h, w);
            rows.Add(string.Join(",", Path.GetFileName(d), h, w, markers.Max(),
                Min(wsTimes).ToString("F3", CultureInfo.InvariantCulture), Min(rwTimes).ToString("F3", CultureInfo.InvariantCulture)));
        }
        Nuclei.Core.IO.AtomicFile.WriteAllText(Path.Combine(dir, "times_ours.csv"), string.Join("\n", rows) + "\n");
        Console.WriteLine($"ours: {dirs.Count} image(s), times in {Path.Combine(dir, "times_ours.csv")}");
    }

    static double Min(List<double> v) => v.Min();
}
