namespace Nuclei.Server.Sessions;

/// <summary>
/// Runs one prediction at a time (the network already uses every core); others wait in arrival order. Work cancelled
/// while waiting leaves the queue without running; work cancelled while running is told through its token (the
/// predictor stops at its next forward pass) and its result, if it still ends, is discarded.
/// </summary>
internal sealed class SegmentationQueue
{
    readonly SemaphoreSlim slot = new(1, 1);
    int waiting;

    /// <summary>Requests waiting for or holding the slot.</summary>
    public int Pending => Volatile.Read(ref waiting);

    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancel) => RunAsync(_ => work(), cancel);

    /// <param name="work">gets <paramref name="cancel"/>, to stop early</param>
    /// <param name="started">called when <paramref name="work"/> gets the slot, before it runs</param>
    public async Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancel, Action? started = null)
    {
        Interlocked.Increment(ref waiting);
        try
        {
            await slot.WaitAsync(cancel);
            try
            {
                cancel.ThrowIfCancellationRequested();
                started?.Invoke();
                var result = await Task.Run(() => work(cancel), CancellationToken.None);
                cancel.ThrowIfCancellationRequested();
                return result;
            }
            finally { slot.Release(); }
        }
        finally { Interlocked.Decrement(ref waiting); }
    }
}
