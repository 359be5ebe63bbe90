using System.Diagnostics;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Bench.Runtime;

/// <summary>
/// scalar-race SECONDS [gate|none]: does a garbage collection on another thread corrupt libtorch calls that take a
/// TorchSharp Scalar? The loop adds 1 (a temporary Scalar, as every <c>x.add_(1.0)</c>, BatchNorm's
/// <c>num_batches_tracked.add_(1)</c> and Adam's <c>add_(…, alpha)</c> are) to a tensor and checks the sum, while a
/// second thread allocates as the training's batch workers do. With "gate" the loop holds <see cref="FinalizerGate"/>
/// as training steps do. Prints the wrong sums and the errors seen.
/// </summary>
static class ScalarRace
{
    public static int Run(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0]) : 30;
        bool gate = args.Length > 1 && args[1] == "gate";
        torch.set_num_threads(1);
        using var stop = new CancellationTokenSource();
        long collections = 0;
        var churn = new Thread(() =>
        {
            var keep = new byte[64][];
            int i = 0;
            while (!stop.IsCancelled())
            {
                keep[i++ & 63] = new byte[16_384 + (i & 7) * 4096];   // the worker's crops and augmentation buffers
                if ((i & 1023) == 0) Interlocked.Exchange(ref collections, GC.CollectionCount(0));
            }
        }) { IsBackground = true };
        churn.Start();
        long calls = 0, wrong = 0, errors = 0;
        var messages = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            using var held = gate ? FinalizerGate.Enter() : null;
            using var x = torch.zeros(64, dtype: ScalarType.Float32);
            using var n = torch.zeros(1, dtype: ScalarType.Int64);
            const int perRound = 2000;
            for (int k = 0; k < perRound; k++)
            {
                try
                {
                    x.add_(1.0);          // temporary Scalar 1.0 (and the temporary alpha 1)
                    n.add_(1);            // BatchNorm's num_batches_tracked.add_(1)
                }
                catch (Exception e)
                {
                    errors++;
                    string m = e.Message.Split('\n')[0];
                    messages[m] = messages.GetValueOrDefault(m) + 1;
                }
                calls += 2;
            }
            float got = x[0].item<float>();
            long count = n.item<long>();
            if (got != perRound || count != perRound || !x.allclose(x[0])) wrong++;
        }
        stop.Cancel();
        Console.WriteLine($"scalar-race {(gate ? "gate" : "none")}: {calls:N0} calls in {clock.Elapsed.TotalSeconds:F0} s, {Interlocked.Read(ref collections):N0} gen-0 collections, rounds with a wrong sum: {wrong}, errors: {errors}");
        foreach (var (m, c) in messages) Console.WriteLine($"  {c} x {m}");
        return wrong + errors > 0 ? 1 : 0;
    }

    static bool IsCancelled(this CancellationTokenSource s) => s.IsCancellationRequested;
}
