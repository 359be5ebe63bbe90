using System.Runtime.InteropServices;

namespace Nuclei.Bench.Inference;

/// <summary>
/// CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)): on a machine shared with other jobs
/// it varies far less than wall time, and with one libtorch thread a forward pass runs on the calling thread.
/// </summary>
public static class ThreadClock
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>CPU milliseconds this thread has used so far.</summary>
    public static double Milliseconds()
    {
        ClockGetTime(ClockThreadCpuTime, out var t);
        return t.Seconds * 1e3 + t.Nanoseconds / 1e6;
    }
}
