using System.Runtime.InteropServices;
using Nuclei.Core.Memory;

namespace Nuclei.Tests.Core;

// alone: another test's malloc_trim (block-wise segmentation returns freed memory) would trim this test's heap mid-count
[CollectionDefinition("native-heap", DisableParallelization = true)]
public class NativeHeapCollection;

[Collection("native-heap")]
public class NativeHeapTests
{
    [Fact]
    public void Retained_memory_is_reused_without_page_faults()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/thread-self/stat")) return;
        NativeHeap.RetainFreedMemory();
        // as in a forward pass: several activations alive at once, then all freed
        // 16 MB in all: well inside one heap of a thread's arena (64 MB at most in glibc), which a busier arena
        // might not have room for at 48 MB, and far above glibc's default trim (128 kB) and mmap (128 kB+) thresholds
        const int size = 4 << 20, blocks = 4, pages = blocks * size / 4096, rounds = 10;
        TouchAndFree(size, blocks);   // the heap grows once
        long before = MinorFaultsOfThisThread();
        for (int r = 0; r < rounds; r++) TouchAndFree(size, blocks);
        long faults = MinorFaultsOfThisThread() - before;
        // with glibc's defaults the free top of the heap (16 MB) is trimmed every round and faulted in again the next
        Assert.True(faults < rounds * pages / 4, $"{faults} minor page faults for {rounds} rounds of {pages} pages");
        NativeHeap.ReturnFreedMemory();   // harmless at any time
    }

    static void TouchAndFree(int size, int blocks)
    {
        var held = new IntPtr[blocks];
        for (int b = 0; b < blocks; b++)
        {
            held[b] = Marshal.AllocHGlobal(size);   // malloc on Unix
            for (int o = 0; o < size; o += 4096) Marshal.WriteByte(held[b], o, 1);
        }
        foreach (var p in held) Marshal.FreeHGlobal(p);
    }

    /// <summary>Field 10 of /proc/thread-self/stat (proc(5)), counted after the command name, which may hold spaces.</summary>
    static long MinorFaultsOfThisThread()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7]);   // fields[0] is field 3 (state)
    }
}
