using System.Diagnostics;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Bench.Inference;

/// <summary>
/// The network forward of one checkpoint in several variants (as saved; batch norm folded; channels-last input; all three
/// in bfloat16 as `segment --precision bf16` runs it), interleaved image by
/// image in one process so that the machine's load hits them alike, with the largest logit difference from the first.
/// Usage: forward-variants --model CKPT --images DIR [--n 12] [--rounds 3] [--threads 1]
/// </summary>
public static class ForwardVariants
{
    public static int Run(string[] args)
    {
        string model = Arg(args, "--model", "models/default.nck");
        int n = int.Parse(Arg(args, "--n", "12")), rounds = int.Parse(Arg(args, "--rounds", "3"));
        torch.set_num_threads(int.Parse(Arg(args, "--threads", "1")));
        var inputs = Inputs(model, Arg(args, "--images", ""), n);
        var plain = Checkpoint.Load(model).Net;
        plain.eval();
        var folded = Checkpoint.Load(model).Net;
        folded.eval();
        var bf16Net = Checkpoint.Load(model).Net;
        bf16Net.eval();
        var bf16 = InferenceNetwork.Prepare(bf16Net, ComputePrecision.Bf16);
        Console.WriteLine($"# forward-variants: {BatchNormFolding.Fold(folded)} batch norm(s) folded, libtorch threads={torch.get_num_threads()}");
        var variants = new (string Name, Func<Tensor, Tensor> Forward)[]
        {
            ("as-saved", x => plain.forward(x)),
            ("bn-folded", x => folded.forward(x)),
            ("channels-last", x => { using var cl = InferenceNetwork.ChannelsLast(x); return plain.forward(cl); }),
            ("bn-folded+channels-last", x => { using var cl = InferenceNetwork.ChannelsLast(x); return folded.forward(cl); }),
            ("bn-folded+channels-last+bf16", bf16),
            ("bn-folded+inference-mode", x => { using var mode = torch.inference_mode(); return folded.forward(x); }),
        };
        Compare(variants, inputs, rounds);
        return 0;
    }

    private static void Compare((string Name, Func<Tensor, Tensor> Forward)[] variants, List<Tensor> inputs, int rounds)
    {
        var times = variants.Select(_ => new List<double>()).ToArray();
        var cpu = variants.Select(_ => new List<double>()).ToArray();
        var diffs = new double[variants.Length];
        using var gate = FinalizerGate.Enter();
        using var noGrad = torch.no_grad();
        foreach (var v in variants) v.Forward(inputs[0]).Dispose();   // warm-up
        for (int r = 0; r < rounds; r++)
            foreach (var input in inputs)
            {
                using var scope = torch.NewDisposeScope();
                var outputs = new Tensor[variants.Length];
                for (int j = 0; j < variants.Length; j++)
                {
                    int v = (j + r) % variants.Length;   // rotate the order each round
                    var clock = Stopwatch.StartNew();
                    double cpu0 = ThreadClock.Milliseconds();
                    outputs[v] = variants[v].Forward(input);
                    cpu[v].Add(ThreadClock.Milliseconds() - cpu0);
                    times[v].Add(clock.Elapsed.TotalMilliseconds);
                }
                for (int v = 1; v < variants.Length; v++)
                    diffs[v] = Math.Max(diffs[v], (outputs[v] - outputs[0]).abs().max().item<float>());
            }
        Console.WriteLine("variant\twall_median_ms\twall_min_ms\tcpu_median_ms\tcpu_min_ms\tmax_abs_logit_diff");
        for (int v = 0; v < variants.Length; v++)
        {
            var t = times[v].OrderBy(x => x).ToList();
            var c = cpu[v].OrderBy(x => x).ToList();
            Console.WriteLine($"{variants[v].Name}\t{t[t.Count / 2]:F1}\t{t[0]:F1}\t{c[c.Count / 2]:F1}\t{c[0]:F1}\t{diffs[v]:E2}");
        }
    }

    /// <summary>The images normalised as the checkpoint's training did, as [1, C, H, W] tensors.</summary>
    private static List<Tensor> Inputs(string model, string folder, int n)
    {
        using var m = CheckpointModels.Load(model);
        return Directory.GetFiles(folder, "*.png").OrderBy(p => p, StringComparer.Ordinal).Take(n).Select(path =>
        {
            var image = InputPreparation.AdaptChannels(ImageIO.ReadImage(path), m.InChannels);
            return torch.tensor(m.Normalize(image), new long[] { 1, m.InChannels, image.Height, image.Width });
        }).ToList();
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
