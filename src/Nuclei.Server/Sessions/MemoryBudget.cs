namespace Nuclei.Server.Sessions;

/// <summary>
/// Bytes that may be taken together, as one counter: a take that would pass the limit is refused, and the check and
/// the addition are one step, so that requests arriving at once cannot all see room that only one of them has.
/// Thread-safe.
/// </summary>
internal sealed class MemoryBudget(long maxBytes)
{
    readonly object gate = new();
    long used;

    public long MaxBytes { get; } = maxBytes;

    public long Used { get { lock (gate) return used; } }

    /// <summary>Takes <paramref name="bytes"/> when they fit; false (nothing taken) when they do not.</summary>
    public bool TryTake(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (gate)
        {
            if (bytes > MaxBytes - used) return false;
            used += bytes;
            return true;
        }
    }

    /// <summary>Takes <paramref name="bytes"/> for <paramref name="name"/>, or refuses with a 503 saying how full the server is.</summary>
    /// <exception cref="ServerBusyException">they do not fit</exception>
    public void Take(long bytes, string? name)
    {
        if (!TryTake(bytes))
            throw new ServerBusyException(name, $"the server is busy: all sessions together hold {Mb(Used)} MB of the {Mb(MaxBytes)} MB it allows, and this needs {Mb(bytes)} MB more; try again later");
    }

    /// <summary>Gives back bytes taken before.</summary>
    public void Give(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (gate)
        {
            if (bytes > used) throw new InvalidOperationException($"giving back {bytes} bytes, but only {used} are taken");
            used -= bytes;
        }
        MemoryReturn.After(bytes);
    }

    /// <summary>Megabytes, rounded up, for messages.</summary>
    public static long Mb(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
