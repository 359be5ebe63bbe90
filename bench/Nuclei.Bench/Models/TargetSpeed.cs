using System.Diagnostics;
using Nuclei.Core.Imaging;
using Nuclei.Core.Targets;

namespace Nuclei.Bench.Models;

/// <summary>
/// Time of TargetBuilder.Build (all maps) on a synthetic 256×256 crop of touching discs, the per-crop cost the
/// training data pipeline pays. Usage: targets-speed [--size 256] [--nuclei 60] [--repeats 50]
/// </summary>
public static class TargetSpeed
{
    public static int Run(string[] args)
    {
        int size = Arg(args, "--size", 256), nuclei = Arg(args, "--nuclei", 60), repeats = Arg(args, "--repeats", 50);
        var labels = new LabelImage(size, size);
        var rng = new Random(1);
        for (int k = 1; k <= nuclei; k++)
        {
            int cy = rng.Next(size), cx = rng.Next(size), r = rng.Next(4, 14);
            for (int y = Math.Max(0, cy - r); y < Math.Min(size, cy + r + 1); y++)
                for (int x = Math.Max(0, cx - r); x < Math.Min(size, cx + r + 1); x++)
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r && labels[y, x] == 0) labels[y, x] = k;
        }
        foreach (var maps in new[] { TargetMaps.All, TargetMaps.Semantic | TargetMaps.Contour | TargetMaps.Marker, TargetMaps.UNetWeight })
        {
            var options = new TargetOptions { Maps = maps };
            TargetBuilder.Build(labels, options);
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++) TargetBuilder.Build(labels, options);
            Console.WriteLine($"targets {size}x{size}, {nuclei} nuclei, maps {maps}: {sw.Elapsed.TotalMilliseconds / repeats:F2} ms per crop");
        }
        return 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }
}
