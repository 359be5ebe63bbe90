namespace Nuclei.Cli.Batch;

/// <summary>What became of one item of a batch: its index, the time its own work took, and what it threw if it failed.</summary>
internal readonly record struct ItemDone(int Index, TimeSpan Elapsed, Exception? Error = null)
{
    /// <summary>Runs <paramref name="work"/> for item <paramref name="index"/>, timed; a failure is kept, not thrown.</summary>
    public static ItemDone Of(int index, Action work)
    {
        var run = Timed<bool>.Run(() => { work(); return true; });
        return new ItemDone(index, run.Took, run.Error);
    }
}
