namespace Nuclei.Cli.Batch;

/// <summary>
/// Runs a batch of images through three overlapping stages: while image i is segmented on the caller's thread, image
/// i+1 is read on a background task and image i-1 written on another. Why: the network's forward pass takes about 89 %
/// of an image's time and keeps its core busy; reading and decoding, and encoding and writing the outputs, the rest,
/// can run meanwhile on another core. At most one image is read ahead and one write pending, so a big batch holds
/// at most three images in memory.
/// <para>
/// Each item is reported once, in input order: when it is written, or when it fails at any stage (a failure while
/// writing image i is image i's). An item the read stage returns null for (an image too big to hold, which streams
/// its own files) runs alone through <c>runAlone</c>, after the pending write. Without <c>overlap</c> the stages run
/// one after the other, as a plain loop would.
/// </para>
/// </summary>
/// <param name="read">reads an item (background); null: the item runs alone</param>
/// <param name="segment">segments an item read (caller's thread, which owns the network)</param>
/// <param name="write">writes an item's outputs (background), told the time its reading and segmenting took</param>
/// <param name="runAlone">does all the work of an item the read stage declined</param>
internal sealed class PipelinedBatch<TItem, TInput, TOutput>(
    Func<TItem, TInput?> read, Func<TItem, TInput, TOutput> segment, Action<TItem, TOutput, TimeSpan> write, Action<TItem> runAlone,
    bool overlap = true) where TInput : class
{
    Task<ItemDone>? writing; // the pending write, whose result is its item's report

    /// <summary>Processes every item; <paramref name="done"/> hears each once, in input order, on the caller's thread.</summary>
    public void Run(IReadOnlyList<TItem> items, Action<ItemDone> done)
    {
        try
        {
            var reading = items.Count > 0 ? Read(items[0]) : null;
            for (int i = 0; i < items.Count; i++)
            {
                var input = Await(reading!);
                bool alone = input.Error is null && input.Value is null;
                if (alone) RunAlone(i, items[i], done);
                reading = i + 1 < items.Count ? Read(items[i + 1]) : null;
                if (!alone) SegmentThenWrite(i, items[i], input, done);
            }
            FinishWrite(done);
        }
        finally
        {
            writing?.Wait(); // never leave a write running behind an exception
        }
    }

    Task<Timed<TInput>> Read(TItem item) => Start(() => Timed<TInput>.Run(() => read(item)), lazy: true);

    void RunAlone(int index, TItem item, Action<ItemDone> done)
    {
        FinishWrite(done);
        done(ItemDone.Of(index, () => runAlone(item)));
    }

    /// <summary>Segments item <paramref name="index"/> and starts its write once the previous one is reported.</summary>
    void SegmentThenWrite(int index, TItem item, Timed<TInput> input, Action<ItemDone> done)
    {
        var segmented = input.Error is null ? Timed<TOutput>.Run(() => segment(item, input.Value!)) : default;
        FinishWrite(done); // item index-1 is reported before item index
        var took = input.Took + segmented.Took;
        var error = input.Error ?? segmented.Error;
        if (error is not null)
        {
            done(new ItemDone(index, took, error));
            return;
        }
        writing = Start(() =>
        {
            var written = Timed<bool>.Run(() => { write(item, segmented.Value!, took); return true; });
            return new ItemDone(index, took + written.Took, written.Error);
        });
    }

    void FinishWrite(Action<ItemDone> done)
    {
        if (writing is null) return;
        var report = Await(writing);
        writing = null;
        done(report);
    }

    /// <summary>Starts <paramref name="work"/> on a background task; without overlap, runs it now (<paramref name="lazy"/>: when awaited).</summary>
    Task<T> Start<T>(Func<T> work, bool lazy = false)
    {
        var task = new Task<T>(work);
        if (overlap) task.Start(TaskScheduler.Default);
        else if (!lazy) task.RunSynchronously();
        return task;
    }

    static T Await<T>(Task<T> task)
    {
        if (task.Status == TaskStatus.Created) task.RunSynchronously();
        return task.GetAwaiter().GetResult();
    }
}
