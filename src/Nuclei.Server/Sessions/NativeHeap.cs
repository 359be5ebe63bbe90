using System.Runtime.InteropServices;

namespace Nuclei.Server.Sessions;

/// <summary>
/// The C heap libtorch and libvips allocate from. glibc keeps what they free in its arenas for reuse (blocks under its
/// mmap threshold, which rises to 32 MB once such a block is freed), so the network's working memory of one prediction
/// stays in the process after it; <c>malloc_trim</c> hands the free pages of every arena back to the system.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Returns the C heap's free pages to the system; nothing where the C library has no malloc_trim (not glibc).</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { MallocTrim(0); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
