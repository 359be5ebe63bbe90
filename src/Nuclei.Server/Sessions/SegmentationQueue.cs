namespace Nuclei.Server.Sessions;

/// <summary>
/// Runs one prediction at a time (the network already uses every core); others wait in arrival order. A request that
/// goes away while waiting leaves the queue; one that goes away during its prediction is discarded when it ends (the
/// network cannot be interrupted mid-image).
/// </summary>
public sealed class SegmentationQueue
{
    readonly SemaphoreSlim slot = new(1, 1);
    int waiting;

    /// <summary>Requests waiting for or holding the slot.</summary>
    public int Pending => Volatile.Read(ref waiting);

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancel)
    {
        Interlocked.Increment(ref waiting);
        try
        {
            await slot.WaitAsync(cancel);
            try
            {
                cancel.ThrowIfCancellationRequested();
                var result = await Task.Run(work, CancellationToken.None);
                cancel.ThrowIfCancellationRequested();
                return result;
            }
            finally { slot.Release(); }
        }
        finally { Interlocked.Decrement(ref waiting); }
    }
}
