using System.Diagnostics;
using Nuclei.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Bench.Models;

/// <summary>
/// Plain timing of forward passes and training steps (forward + backward + Adam) per architecture; the same
/// measurement as bench/python/models_torch.py, so bench/models-vs-pytorch.sh can print them side by side.
/// BenchmarkDotNet is not used here: one training step takes seconds, and the PyTorch side must match exactly.
/// Usage: models-speed [--archs unet,caunet] [--sizes 128,256] [--batch 8] [--steps 3] [--warmup 1] [--forward] [--threads N] [--base-width 16]
///        models-memory [--arch camunet] [--size 64] [--batch 2] [--steps 1000] [--threads N]
/// </summary>
public static class ModelSpeed
{
    public static int Run(string[] args)
    {
        string[] archs = Arg(args, "--archs", "unet,caunet,camunet,scamunet").Split(',');
        int[] sizes = Arg(args, "--sizes", "256").Split(',').Select(int.Parse).ToArray();
        int batch = int.Parse(Arg(args, "--batch", "8"));
        int steps = int.Parse(Arg(args, "--steps", "3"));
        int warmup = int.Parse(Arg(args, "--warmup", "1"));
        bool forward = args.Contains("--forward");
        int threads = int.Parse(Arg(args, "--threads", "0"));
        int baseWidth = int.Parse(Arg(args, "--base-width", "16"));
        if (threads > 0) torch.set_num_threads(threads);
        Console.WriteLine($"# TorchSharp, libtorch threads={torch.get_num_threads()}, batch={batch}, steps={steps}, warmup={warmup}");
        Console.WriteLine("impl\tarch\tsize\tparams\tforward_ms\ttrain_step_ms\ttrain_img_per_s\ttrain_cpu_ms_per_img");
        foreach (string arch in archs)
            foreach (int size in sizes)
            {
                torch.manual_seed(0);
                using var net = ModelRegistry.Create(arch, new ModelOptions { BaseWidth = baseWidth });
                double fwd = forward ? TimeForward(net, batch, size, steps, warmup) : double.NaN;
                Console.Out.Flush();
                var (train, cpu) = TimeTrainStep(net, batch, size, steps, warmup);
                Console.WriteLine($"torchsharp\t{arch}\t{size}\t{net.ParameterCount()}\t{fwd:F0}\t{train:F0}\t{batch * 1000.0 / train:F2}\t{cpu / batch:F0}");
            }
        return 0;
    }

    public static int RunMemory(string[] args)
    {
        string arch = Arg(args, "--arch", "camunet");
        int size = int.Parse(Arg(args, "--size", "64"));
        int batch = int.Parse(Arg(args, "--batch", "2"));
        int steps = int.Parse(Arg(args, "--steps", "1000"));
        int threads = int.Parse(Arg(args, "--threads", "0"));
        if (threads > 0) torch.set_num_threads(threads);
        torch.manual_seed(0);
        using var net = ModelRegistry.Create(arch, new ModelOptions());
        net.train();
        using var optimizer = torch.optim.Adam(net.parameters(), 1e-4);
        var proc = Process.GetCurrentProcess();
        long peakAt100 = 0;
        var sw = Stopwatch.StartNew();
        for (int step = 1; step <= steps; step++)
        {
            TrainStep(net, optimizer, batch, size);
            if (step == 100 || step == steps || step % 250 == 0)
            {
                proc.Refresh();
                long peak = proc.PeakWorkingSet64, ws = proc.WorkingSet64;
                if (step == 100) peakAt100 = peak;
                Console.WriteLine($"step {step}\tworking_set_MB {ws / 1048576.0:F1}\tpeak_working_set_MB {peak / 1048576.0:F1}\telapsed_s {sw.Elapsed.TotalSeconds:F0}");
            }
        }
        proc.Refresh();
        Console.WriteLine($"# {arch} {batch}x{size}x{size}: peak working set at step 100 {peakAt100 / 1048576.0:F1} MB, at step {steps} {proc.PeakWorkingSet64 / 1048576.0:F1} MB");
        return 0;
    }

    /// <summary>Fastest wall time of a forward pass (eval mode, no gradients).</summary>
    private static double TimeForward(SegmentationNet net, int batch, int size, int steps, int warmup)
    {
        net.eval();
        using var scope0 = torch.NewDisposeScope();
        var x = torch.rand(batch, 3, size, size);
        using var noGrad = torch.no_grad();
        double best = double.MaxValue;
        for (int i = 0; i < warmup + steps; i++)
        {
            var sw = Stopwatch.StartNew();
            using (torch.NewDisposeScope()) net.forward(x);
            if (i >= warmup) best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }
        return best;
    }

    /// <summary>Fastest wall time of a training step; per-step wall and CPU times go to stderr (the machine is shared, so CPU time tells contention apart).</summary>
    private static (double WallMs, double CpuMs) TimeTrainStep(SegmentationNet net, int batch, int size, int steps, int warmup)
    {
        net.train();
        using var optimizer = torch.optim.Adam(net.parameters(), 1e-4);
        var proc = Process.GetCurrentProcess();
        var times = new List<double>();
        var cpus = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            TrainStep(net, optimizer, batch, size);
            double ms = sw.Elapsed.TotalMilliseconds;
            proc.Refresh();
            double cpuMs = (proc.TotalProcessorTime - cpu0).TotalMilliseconds;
            Console.Error.WriteLine($"  {net.ModelName} {size} step {i}{(i < warmup ? " (warm-up)" : "")}: wall {ms:F0} ms, cpu {cpuMs:F0} ms");
            if (i >= warmup) { times.Add(ms); cpus.Add(cpuMs); }
        }
        // The fastest step is the least disturbed by other processes on a shared machine.
        return (times.Min(), cpus.Min());
    }

    private static void TrainStep(SegmentationNet net, torch.optim.Optimizer optimizer, int batch, int size)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(batch, 3, size, size);
        var target = torch.rand(batch, net.Heads.Count, size, size).gt(0.5).to_type(ScalarType.Float32);
        optimizer.zero_grad();
        var logits = net.forward(x);
        var loss = nn.functional.binary_cross_entropy_with_logits(logits, target);
        loss.backward();
        optimizer.step();
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
