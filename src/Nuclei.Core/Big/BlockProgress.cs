using System.Diagnostics;

namespace Nuclei.Core.Big;

/// <summary>One line per finished block on a text writer (stderr in the CLI): blocks done, nuclei so far, elapsed time and the time left at the mean pace so far.</summary>
internal sealed class BlockProgress(string id, int blocks, TextWriter output)
{
    readonly Stopwatch clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => clock.Elapsed;

    public void Done(Block block, int done, int nuclei)
    {
        var elapsed = clock.Elapsed;
        var left = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (blocks - done));
        output.WriteLine($"{id}: block {done}/{blocks} (row {block.Row + 1}, column {block.Column + 1}), {nuclei} nuclei, {Format(elapsed)} elapsed, ETA {Format(left)}");
    }

    public static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m{t.Seconds:00}s" : $"{t.Minutes}m{t.Seconds:00}s";
}
