using System.Diagnostics;

namespace Nuclei.Cli.Batch;

/// <summary>What a piece of a batch's work came to: its value or what it threw, and how long it took.</summary>
readonly record struct Timed<T>(T? Value, TimeSpan Took, Exception? Error = null)
{
    /// <summary>Runs <paramref name="work"/>, timed; a failure is kept, not thrown.</summary>
    public static Timed<T> Run(Func<T?> work)
    {
        var clock = Stopwatch.StartNew();
        try { return new Timed<T>(work(), clock.Elapsed); }
        catch (Exception e) { return new Timed<T>(default, clock.Elapsed, e); }
    }
}
