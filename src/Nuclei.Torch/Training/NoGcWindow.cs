using System.Runtime;

namespace Nuclei.Torch.Training;

/// <summary>
/// Holds off garbage collection during one training step. Why: TorchSharp passes a temporary Scalar's raw handle
/// to native code (e.g. BatchNorm's <c>num_batches_tracked.add_(1)</c>, the optimizers' <c>add_(…, alpha)</c>), and the
/// Scalar object is already unreachable during that call; when a GC triggered by another thread (our batch workers
/// allocate while the step runs) lets the finalizer free that Scalar mid-call, libtorch reads garbage ("For integral
/// input tensors, argument alpha must not be a floating point number", seen after ~200 steps). With no GC inside the
/// step, nothing created in it is finalized until the next step boundary, when those calls are over.
/// The budget covers what the workers and the step allocate; if it is exceeded, .NET collects anyway (rare).
/// </summary>
public sealed class NoGcWindow : IDisposable
{
    readonly bool _active;

    NoGcWindow(bool active) => _active = active;

    public static NoGcWindow Enter(long smallObjectBytes = 64L << 20, long largeObjectBytes = 192L << 20)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new NoGcWindow(false);
        try { return new NoGcWindow(GC.TryStartNoGCRegion(smallObjectBytes + largeObjectBytes, largeObjectBytes, disallowFullBlockingGC: false)); }
        catch (ArgumentOutOfRangeException) { return new NoGcWindow(false); }   // budget larger than this GC allows
        catch (InvalidOperationException) { return new NoGcWindow(false); }
    }

    public void Dispose()
    {
        if (_active && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            try { GC.EndNoGCRegion(); } catch (InvalidOperationException) { /* the budget ran out and a GC ended it */ }
        }
    }
}
