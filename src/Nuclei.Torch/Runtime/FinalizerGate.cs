using System.Runtime.CompilerServices;

namespace Nuclei.Torch.Runtime;

/// <summary>
/// Holds .NET's finalizer thread while libtorch calls run. Why: TorchSharp hands native code the raw handle of a
/// temporary Scalar (every <c>x.add(1.0)</c> of ours; BatchNorm's <c>num_batches_tracked.add_(1)</c> and the optimizers'
/// <c>add_(…, alpha)</c> inside TorchSharp), and that Scalar object is already unreachable during the call. When a garbage
/// collection triggered by any other thread lets the finalizer free it mid-call, libtorch reads freed memory: NaN
/// weights, wrong values or a spurious error ("For integral input tensors, argument alpha must not be a floating point
/// number"). A no-GC region only prevents that while the whole process stays within its allocation budget; holding the
/// finalizer thread prevents it whatever other threads allocate: objects that die meanwhile are finalized on release.
/// Enter plants an object whose finalizer waits for the release, and collects the youngest generation so that it runs.
/// Holders nest and may be on several threads; the thread is released when the last one leaves.
/// </summary>
internal sealed class FinalizerGate : IDisposable
{
    /// <summary>Longest the finalizer thread is held (a safety net: a holder that never leaves cannot stop finalization for good).</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(5);
    static readonly TimeSpan MaxWaitForHold = TimeSpan.FromSeconds(30);
    static readonly object Sync = new();
    static int _holders;
    static ManualResetEventSlim? _release;
    bool _left;

    FinalizerGate() { }

    /// <summary>Whether the finalizer thread is being held now.</summary>
    public static bool IsHolding { get; private set; }

    /// <summary>Holds the finalizer thread until the returned gate (and every other one entered meanwhile) is disposed.</summary>
    public static FinalizerGate Enter()
    {
        lock (Sync)
        {
            if (_holders++ == 0) Hold();
        }
        return new FinalizerGate();
    }

    public void Dispose()
    {
        if (_left) return;
        _left = true;
        lock (Sync)
        {
            if (--_holders > 0) return;
            _release?.Set();
            _release = null;
            IsHolding = false;
        }
    }

    static void Hold()
    {
        var release = _release = new ManualResetEventSlim(false);
        var holding = new ManualResetEventSlim(false);
        Plant(release, holding);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        // Finalizers already queued run first; then ours holds the thread.
        IsHolding = holding.Wait(MaxWaitForHold);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // so that no reference to the blocker outlives this call
    static void Plant(ManualResetEventSlim release, ManualResetEventSlim holding) => _ = new Blocker(release, holding);

    sealed class Blocker(ManualResetEventSlim release, ManualResetEventSlim holding)
    {
        ~Blocker()
        {
            holding.Set();
            release.Wait(MaxHold);
        }
    }
}
