using Nuclei.Core.Memory;
using Nuclei.Torch.Runtime;

namespace Nuclei.Server.Sessions;

/// <summary>
/// Gives memory back to the system after a large release (an image removed, a big upload cancelled or refused). The
/// runtime keeps freed heap for reuse: measured with 20 uploads of 16 MP at once, the process stayed about 1.8 GB
/// over idle after all were cancelled, even after an ordinary full collection, and back to idle after an aggressive
/// one. Releases close together get one collection, a moment later, when what they held is unreachable; small ones add
/// up (30 refused inspects of a 16 MP PNG left about 730 MB resident when each was left to the runtime).
/// </summary>
internal static class MemoryReturn
{
    /// <summary>Releases adding up to less than this are left to the runtime (a collection costs a pause).</summary>
    public const long LargeBytes = 64L << 20;

    static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    static int scheduled;
    static long released; // since the last collection: many small releases (a burst of refused bodies) add up

    /// <summary>
    /// Collects at once, on this thread, when <paramref name="bytes"/> of large buffers have just become garbage and the
    /// caller is about to allocate as much again (post-processing after its prediction): freed, the space is reused
    /// instead of the process growing by it. Left to the runtime, a 16 MP upload's post-processing peaked on top of its
    /// prediction's leftovers (Nuclei.Bench upload-memory).
    /// </summary>
    public static void Now(long bytes)
    {
        if (bytes < LargeBytes) return;
        // aggressive: the freed heap is also handed back, so post-processing starts from the job's live memory
        Collect();
    }

    /// <summary>
    /// An aggressive collection (the GC decommits the space it frees), then the C heap trimmed. In between, the
    /// finalizers of what the collection found dead are run and a second collection follows: a tensor, Mat or libvips
    /// image left to its finalizer frees its native memory only then, and a managed array pinned for libtorch
    /// (<c>torch.from_array</c>) is unpinned only when its tensor's storage is freed, so a single collection leaves both
    /// behind, and an idle server runs no further collection to find them (GC.WaitForPendingFinalizers in the .NET API
    /// documentation: finalizers run on their own thread, after the collection that found the objects dead). Not while a
    /// prediction holds the finalizer thread (<see cref="FinalizerGate"/>): the wait would last until it ends.
    /// Measured on a 2000² RGB upload (one job run and its image deleted, then one job cancelled, one libtorch thread):
    /// the managed heap after the cancel was 55 MB with a single collection (two runs traced) and 20 MB with this (one);
    /// the resident size 315 to 374 MB against 286 to 313 MB idle in four runs, and 275 to 340 MB against 281 to 310 MB
    /// in three with this (the code pages the first prediction reads in, about 43 MB, are in every figure after it).
    /// </summary>
    internal static void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!FinalizerGate.IsHolding)
        {
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        NativeHeap.ReturnFreedMemory();
    }

    public static void After(long bytes)
    {
        if (Interlocked.Add(ref released, bytes) < LargeBytes || Interlocked.Exchange(ref scheduled, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            await Task.Delay(Delay);
            Interlocked.Exchange(ref released, 0);
            Volatile.Write(ref scheduled, 0);
            Collect();
        });
    }
}
