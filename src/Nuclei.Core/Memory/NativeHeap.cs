using System.Runtime.InteropServices;

namespace Nuclei.Core.Memory;

/// <summary>
/// The process's C heap (glibc malloc), where libtorch and OpenCV allocate. Two policies, each for a measured reason:
/// <see cref="RetainFreedMemory"/> keeps freed blocks for reuse so that a forward pass does not page-fault its activations
/// in again, and <see cref="ReturnFreedMemory"/> hands everything free back to the kernel where peak memory matters more
/// than that (between the blocks of a slide). Settings as mallopt(3) and malloc_trim(3) document them; a no-op off glibc.
/// </summary>
internal static class NativeHeap
{
    const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;

    /// <summary>Blocks up to this size come from the heap (glibc's ceiling for M_MMAP_THRESHOLD on 64-bit).</summary>
    const int MmapThreshold = 32 << 20;

    /// <summary>Free memory at the top of the heap is returned to the kernel only beyond this.</summary>
    const int TrimThreshold = 1 << 30;

    static int _retaining;

    /// <summary>
    /// Left to its defaults, glibc serves a large block with a fresh mmap, or trims it off the heap when it is freed, so
    /// every forward pass page-faults its activations in again: 944,127 minor faults and 1.4 s of system time over 72
    /// forward passes of a 256² camunet on one thread, against 80,768 and 0.16 s with these settings, and 8 % less CPU per
    /// forward pass (bench/Nuclei.Bench forward-variants under /usr/bin/time, the settings as GLIBC_TUNABLES); `nuclei train`
    /// on one libtorch thread went from 15.3 to 17.9 images/s (6.4 M to 1.5 M page faults in two minutes). Peak
    /// memory is unchanged: what is kept was in use at the peak. Applied once per process; later calls do nothing.
    /// </summary>
    public static void RetainFreedMemory()
    {
        if (Interlocked.Exchange(ref _retaining, 1) == 1) return;
        Call(() => { mallopt(M_MMAP_THRESHOLD, MmapThreshold); mallopt(M_TRIM_THRESHOLD, TrimThreshold); });
    }

    /// <summary>
    /// Returns every free page of the heap to the kernel, also those between blocks still in use (malloc_trim(0)).
    /// Tensors of many sizes (the tiles cut at a slide block's edges) leave holes that the heap cannot give back on its
    /// own, and the holes add up block after block.
    /// </summary>
    public static void ReturnFreedMemory() => Call(() => malloc_trim(UIntPtr.Zero));

    static void Call(Action glibc)
    {
        if (!OperatingSystem.IsLinux()) return;
        try { glibc(); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (e.g. musl): its allocator has its own policy
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    static extern int malloc_trim(UIntPtr pad);
}
