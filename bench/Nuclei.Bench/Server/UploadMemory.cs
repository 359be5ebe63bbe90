using Nuclei.Core.IO;
using Nuclei.Core.Measurements;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;
using Nuclei.Server.Uploads;
using Nuclei.Torch.Inference;

namespace Nuclei.Bench.Server;

/// <summary>
/// The memory one upload of <c>nuclei serve</c> takes, phase by phase, with the code the server runs: decoding
/// (<see cref="UploadedImage.Read"/>), prediction (<see cref="ModelEngine.Predict"/>) and post-processing with
/// measurements; each phase's peak resident memory above the process before the upload (Linux: VmHWM, reset through
/// /proc/self/clear_refs), in bytes per pixel, beside what <see cref="SegmentationService.EstimatedBytes"/> reserves.
/// Usage: upload-memory IMAGE [--model M.nck] [--threads N]
/// </summary>
public static class UploadMemory
{
    public static int Run(string[] args)
    {
        if (args.Length == 0) { Console.Error.WriteLine("usage: upload-memory IMAGE [--model M.nck] [--threads N]"); return 2; }
        string model = Arg(args, "--model", "models/default.nck");
        int threads = int.Parse(Arg(args, "--threads", "0"));
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        using var engine = new ModelEngine(Nuclei.NucleiSegmenter.Load(new Nuclei.SegmenterOptions { Models = [model] }));
        byte[] data = File.ReadAllBytes(args[0]);
        var header = ImageHeader.Read(data, out string problem) ?? throw new InvalidOperationException(problem);
        long pixels = header.Pixels;

        long before = Baseline();
        var image = Phase("decode", pixels, before, () => UploadedImage.Read(data, header, PlaneChoice.Default, args[0], long.MaxValue));
        var maps = Phase("predict", pixels, before, () => engine.Predict(image, null, InferenceProgress.None));
        var labels = Phase("post-process", pixels, before, () =>
        {
            var l = engine.PostProcess(maps, engine.Defaults);
            RegionMeasurer.Measure(l, image);
            return l;
        });
        long held = 4L * image.Data.Length + maps.Bytes + 4L * labels.Data.Length;
        Console.WriteLine($"{header.Width}x{header.Height} ({image.Channels} channel(s)): held after {Per(held, pixels)} B/px; " +
            $"reserved {Per(SegmentationService.EstimatedBytes(pixels), pixels)} B/px " +
            $"({SegmentationService.EstimatedBytes(pixels) >> 20} MB)");
        GC.KeepAlive(labels);
        return 0;
    }

    /// <summary>Runs one phase and prints its peak resident memory above <paramref name="before"/>.</summary>
    static T Phase<T>(string name, long pixels, long before, Func<T> run)
    {
        File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current resident size
        long start = Status("VmRSS") - before; // what earlier phases left resident: the floor of this phase's peak
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = run();
        long peak = Status("VmHWM") - before;
        Console.WriteLine($"{name,-13} peak {peak >> 20,6} MB above the process before the upload = {Per(peak, pixels),5:0.0} B/px " +
            $"(at its start {Per(start, pixels):0.0} B/px; {clock.Elapsed.TotalSeconds:0.0} s)");
        return result;
    }

    /// <summary>The resident size after a full compacting collection (freed heap handed back).</summary>
    static long Baseline()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return Status("VmRSS");
    }

    static double Per(long bytes, long pixels) => (double)bytes / pixels;

    /// <summary>A size line of /proc/self/status, in bytes.</summary>
    static long Status(string key)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }

    static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
