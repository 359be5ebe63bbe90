namespace Nuclei.Server.Sessions;

/// <summary>
/// Bytes a session promised to one upload before decoding it (<see cref="SessionStore.Reserve"/>). Disposing gives
/// them back, once, unless <see cref="SessionStore.Add"/> turned them into the bytes its image holds: so a failed,
/// cancelled or refused upload always returns what it took, whichever way it ends.
/// </summary>
internal sealed class Reservation : IDisposable
{
    readonly SessionStore store;
    int settled;

    internal Reservation(SessionStore store, long bytes)
    {
        this.store = store; Bytes = bytes;
    }

    public long Bytes { get; }

    /// <summary>True the first time only: whoever gets it gives the bytes back or keeps them as an image's.</summary>
    internal bool Settle() => Interlocked.Exchange(ref settled, 1) == 0;

    public void Dispose()
    {
        if (Settle()) store.Release(Bytes);
    }
}
