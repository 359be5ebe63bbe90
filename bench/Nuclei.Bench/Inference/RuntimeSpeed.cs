using System.Diagnostics;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;
using TorchSharp;

namespace Nuclei.Bench.Inference;

/// <summary>
/// Images per second of `segment` with --runtime torch and --runtime onnx (fp32, pad mode, the checkpoint's own
/// post-processing), side by side in one process: each round segments every image with both, the order alternating
/// from round to round so that the machine's other load hits them alike. Prints the CPU model, the thread count, each
/// runtime's images/s over all rounds and its median per image, and the largest probability difference between them.
/// A warm-up image per runtime is not counted (ONNX Runtime plans its memory on the first run of a size).
/// Usage: runtime-speed [--model models/default.nck] [--images samples] [--rounds 3] [--threads 0]
/// </summary>
public static class RuntimeSpeed
{
    public static int Run(string[] args)
    {
        string model = Arg(args, "--model", "models/default.nck");
        var images = Images(Arg(args, "--images", "samples"));
        int rounds = int.Parse(Arg(args, "--rounds", "3"));
        int threads = int.Parse(Arg(args, "--threads", "0"));
        if (threads > 0) torch.set_num_threads(threads);   // before the ONNX session, which takes the same count
        var runtimes = new[] { NetworkRuntime.Torch, NetworkRuntime.Onnx };
        var segmenters = runtimes.Select(r => Segmenter(model, r)).ToArray();
        Console.WriteLine($"# runtime-speed: {CpuModel()}, {Environment.ProcessorCount} logical CPUs, threads {torch.get_num_threads()}, " +
                          $"{images.Count} image(s) x {rounds} round(s), {model}, pad mode, fp32");

        var times = runtimes.Select(_ => new List<double>()).ToArray();
        var pixels = images.Sum(i => (long)i.Height * i.Width);
        double maxDiff = 0;
        foreach (var s in segmenters) s.Segment(images[0], "warm-up", out _, out _);
        for (int r = 0; r < rounds; r++)
            foreach (var image in images)
            {
                var maps = new HeadProbabilities[runtimes.Length];
                for (int j = 0; j < runtimes.Length; j++)
                {
                    int k = (j + r) % runtimes.Length;
                    var clock = Stopwatch.StartNew();
                    segmenters[k].Segment(image, null, out var m, out _);
                    times[k].Add(clock.Elapsed.TotalSeconds);
                    maps[k] = m;
                }
                maxDiff = Math.Max(maxDiff, MaxDifference(maps[0], maps[1]));
            }

        Console.WriteLine("runtime\timages_per_s\tmedian_ms_per_image\tmegapixels_per_s");
        for (int k = 0; k < runtimes.Length; k++)
        {
            double total = times[k].Sum();
            var sorted = times[k].Order().ToList();
            Console.WriteLine($"{NetworkRuntimes.NameOf(runtimes[k])}\t{times[k].Count / total:F3}\t{sorted[sorted.Count / 2] * 1e3:F0}\t{pixels * rounds / 1e6 / total:F3}");
        }
        Console.WriteLine($"# onnx/torch images/s: {times[0].Sum() / times[1].Sum():F2}; largest probability difference {maxDiff:E2}");
        foreach (var s in segmenters) s.Dispose();
        return 0;
    }

    static ModelSegmenter Segmenter(string model, NetworkRuntime runtime)
    {
        var predictor = new Predictor([CheckpointModels.Load(model, runtime: runtime)], new PredictionOptions { Mode = SizeMode.Pad });
        return new ModelSegmenter(predictor, CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(model)));
    }

    /// <summary>The PNGs under <paramref name="folder"/>: its own, or a DSB layout's &lt;id&gt;/images/&lt;id&gt;.png.</summary>
    static List<FloatImage> Images(string folder) =>
        Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories)
            .Where(p => Path.GetDirectoryName(p) == Path.GetFullPath(folder).TrimEnd('/') || Path.GetFileName(Path.GetDirectoryName(p)) == "images")
            .Order(StringComparer.Ordinal).Select(p => ImageIO.ReadImage(p)).ToList();

    static double MaxDifference(HeadProbabilities a, HeadProbabilities b)
    {
        double max = 0;
        for (int k = 0; k < a.Maps.Count; k++)
            for (int i = 0; i < a.Maps[k].Data.Length; i++) max = Math.Max(max, Math.Abs(a.Maps[k].Data[i] - b.Maps[k].Data[i]));
        return max;
    }

    /// <summary>The "model name" of /proc/cpuinfo (Linux), else the architecture.</summary>
    static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
