using System.Runtime.CompilerServices;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Runtime;

/// <summary>In the collection that runs alone: the gate is process-wide, and other tests' predictions enter it too.</summary>
[Collection("torch-training")]
public class FinalizerGateTests
{
    sealed class Finalizable(StrongBox<int> finalized)
    {
        ~Finalizable() => Interlocked.Increment(ref finalized.Value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Abandon(StrongBox<int> finalized) => _ = new Finalizable(finalized);

    [Fact]
    public void NoObjectIsFinalizedWhileTheFinalizerGateIsHeld()
    {
        var finalized = new StrongBox<int>();
        using (var outer = FinalizerGate.Enter())
        {
            Assert.True(FinalizerGate.IsHolding);
            using (FinalizerGate.Enter()) Abandon(finalized);   // nested holders: released only when the outer one leaves
            GC.Collect();
            Thread.Sleep(200);
            Assert.Equal(0, Volatile.Read(ref finalized.Value));
        }
        Assert.False(FinalizerGate.IsHolding);
        GC.WaitForPendingFinalizers();   // the blocker returns, then the abandoned object is finalized
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(1, Volatile.Read(ref finalized.Value));
    }

    /// <summary>
    /// The failure the gate exists for: TorchSharp passes libtorch the handle of a temporary Scalar (here the 1.0 and
    /// the alpha of <c>add_</c>) that is already unreachable, so a collection caused by another allocating thread lets
    /// the finalizer free it mid-call. Without the gate this loop gives wrong sums and "Unknown scalar type" errors
    /// within seconds on a 2-core machine (27 failures in this test's 3 seconds with the gate taken out; `Nuclei.Bench
    /// scalar-race 40 none`: 321 wrong rounds and 376 errors in 4.8 M calls); with it, none.
    /// </summary>
    [Fact]
    public void ScalarTakingCallsStayCorrectUnderGarbageCollectionWhileTheGateIsHeld()
    {
        using var stop = new CancellationTokenSource();
        var churn = new Thread(() =>
        {
            var keep = new byte[64][];
            for (int i = 0; !stop.IsCancellationRequested; i++) keep[i & 63] = new byte[16_384 + (i & 7) * 4096];
        }) { IsBackground = true };
        churn.Start();
        int wrongRounds = 0, errors = 0, rounds = 0, before = GC.CollectionCount(0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed.TotalSeconds < 3)
            {
                using var gate = FinalizerGate.Enter();
                using var x = zeros(64, dtype: ScalarType.Float32);
                using var n = zeros(1, dtype: ScalarType.Int64);
                for (int k = 0; k < 1000; k++)
                {
                    try { x.add_(1.0); n.add_(1); }
                    catch (Exception) { errors++; }
                }
                if (x.min().item<float>() != 1000 || x.max().item<float>() != 1000 || n.item<long>() != 1000) wrongRounds++;
                rounds++;
            }
        }
        finally { stop.Cancel(); churn.Join(); }
        Assert.True(GC.CollectionCount(0) - before > rounds, "the allocating thread caused too few collections to test anything");
        Assert.Equal(0, errors);
        Assert.Equal(0, wrongRounds);
    }
}
