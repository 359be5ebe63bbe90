using System.Runtime.CompilerServices;
using Nuclei.Torch.Runtime;

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
}
