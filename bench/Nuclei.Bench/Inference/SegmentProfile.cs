using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Bench.Inference;

/// <summary>
/// Where the time of one image goes in `nuclei segment` with a model: reading, normalisation, the network forward,
/// post-processing (watershed and random walker) and writing, each timed in CPU time of the thread, then the whole pipeline
/// (read → <see cref="ModelSegmenter.Segment(FloatImage, string?)"/> → write) timed on its own. Medians over images and rounds.
/// Usage: segment-profile --model CKPT --images DIR [--n 12] [--rounds 3] [--threads 1] [--out DIR]
/// With --out, the end-to-end labels (16-bit PNG) and probability maps (raw float32, heads in order) are written there,
/// so two builds can be checked for identical outputs.
/// </summary>
public static class SegmentProfile
{
    private static readonly string[] Steps = ["read", "normalise", "forward", "maps", "ws", "rw", "write", "end-to-end", "end-to-end wall"];

    public static int Run(string[] args)
    {
        string model = Arg(args, "--model", "models/default.nck");
        string folder = Arg(args, "--images", "");
        int n = int.Parse(Arg(args, "--n", "12")), rounds = int.Parse(Arg(args, "--rounds", "3"));
        int threads = int.Parse(Arg(args, "--threads", "1"));
        string? outDir = args.Contains("--out") ? Arg(args, "--out", "") : null;
        if (outDir is not null) Directory.CreateDirectory(outDir);
        torch.set_num_threads(threads);
        var images = Directory.GetFiles(folder, "*.png").OrderBy(p => p, StringComparer.Ordinal).Take(n).ToArray();
        using var segmenter = Load(model);
        var times = Steps.ToDictionary(s => s, _ => new List<double>());
        ProfileOne(segmenter, images[0], times, null);   // warm-up, not counted
        foreach (var s in Steps) times[s].Clear();
        for (int r = 0; r < rounds; r++)
            foreach (var path in images) ProfileOne(segmenter, path, times, r == 0 ? outDir : null);
        Print(times, images.Length, rounds, threads);
        return 0;
    }

    private static ModelSegmenter Load(string model)
    {
        var predictor = new Predictor([CheckpointModels.Load(model)], new PredictionOptions { Mode = SizeMode.Pad });
        return new ModelSegmenter(predictor, CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(model)));
    }

    private static void ProfileOne(ModelSegmenter segmenter, string path, Dictionary<string, List<double>> times, string? outDir)
    {
        // thread CPU time: the machine is shared, and every step here runs on this thread (1 libtorch thread)
        double last = ThreadClock.Milliseconds();
        double Lap() { double now = ThreadClock.Milliseconds(), ms = now - last; last = now; return ms; }
        var model = segmenter.Predictor.Models[0];
        var image = ImageIO.ReadImage(path); times["read"].Add(Lap());
        float[] planar = model.Normalize(InputPreparation.AdaptChannels(image, model.InChannels)); times["normalise"].Add(Lap());
        var maps = Forward(model, planar, image, times, Lap);
        var options = segmenter.Partition;
        var labels = Partition.Run(maps[0], maps[1], maps[2], options with { Policy = SplitPolicy.Watershed }); times["ws"].Add(Lap());
        Partition.Run(maps[0], maps[1], maps[2], options with { Policy = SplitPolicy.RandomWalker }); times["rw"].Add(Lap());
        string written = Path.Combine(Path.GetTempPath(), "nuclei-profile-labels.png");
        ImageIO.WriteLabels(written, labels); times["write"].Add(Lap());
        var wall = System.Diagnostics.Stopwatch.StartNew();
        EndToEnd(segmenter, path, written, outDir); times["end-to-end"].Add(Lap());
        times["end-to-end wall"].Add(wall.Elapsed.TotalMilliseconds);
    }

    /// <summary>The network alone ("forward"), then sigmoid and copy to per-head maps ("maps"), as the Predictor does them.</summary>
    private static FloatImage[] Forward(InferenceModel model, float[] planar, FloatImage image, Dictionary<string, List<double>> times, Func<double> lap)
    {
        using var gate = FinalizerGate.Enter();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(planar, new long[] { 1, model.InChannels, image.Height, image.Width });
        var logits = model.Network(input);
        times["forward"].Add(lap());
        float[] all = torch.sigmoid(logits).contiguous().data<float>().ToArray();
        int plane = image.Height * image.Width;
        var maps = Enumerable.Range(0, model.Heads.Count)
            .Select(k => new FloatImage(image.Height, image.Width, 1, all.AsSpan(k * plane, plane).ToArray())).ToArray();
        times["maps"].Add(lap());
        return maps;
    }

    private static void EndToEnd(ModelSegmenter segmenter, string path, string written, string? outDir)
    {
        var image = ImageIO.ReadImage(path);
        var labels = segmenter.Segment(image, path, out var maps);
        string id = Path.GetFileNameWithoutExtension(path);
        ImageIO.WriteLabels(outDir is null ? written : Path.Combine(outDir, id + ".png"), labels);
        if (outDir is null) return;
        using var raw = File.Create(Path.Combine(outDir, id + ".maps.f32"));
        foreach (var m in maps.Maps) raw.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(m.Data.AsSpan()));
    }

    private static void Print(Dictionary<string, List<double>> times, int images, int rounds, int threads)
    {
        Console.WriteLine($"# segment-profile: {images} image(s) x {rounds} round(s), libtorch threads={torch.get_num_threads()} (asked {threads})");
        Console.WriteLine("step\tcpu_median_ms\tcpu_mean_ms\tcpu_min_ms");
        foreach (var s in Steps)
        {
            var t = times[s].OrderBy(v => v).ToList();
            Console.WriteLine($"{s}\t{t[t.Count / 2]:F1}\t{t.Average():F1}\t{t[0]:F1}");
        }
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
