namespace Nuclei.Server.Sessions;

/// <summary>
/// What one browser has on the server: its images and its jobs, reached only through its token (the session
/// cookie). Another session's ids are unknown here, so they answer 404.
/// </summary>
internal sealed class Session
{
    long lastUsedTicks;

    internal Session(string token, SessionStore store, DateTimeOffset now)
    {
        Token = token; Store = store; Touch(now);
    }

    /// <summary>Unguessable (32 random bytes), the cookie's value; never shown in a page or a log.</summary>
    public string Token { get; }

    public SessionStore Store { get; }
    public JobStore Jobs { get; } = new();

    /// <summary>When a request last came with this session's cookie.</summary>
    public DateTimeOffset LastUsed => new(Interlocked.Read(ref lastUsedTicks), TimeSpan.Zero);

    internal void Touch(DateTimeOffset now) => Interlocked.Exchange(ref lastUsedTicks, now.UtcTicks);

    /// <summary>Nothing held, reserved or running: dropping it loses nothing of the user's.</summary>
    public bool IsEmpty => Store.IsEmpty && Jobs.All.All(j => j.IsFinal);

    /// <summary>Cancels its jobs and drops its images, giving their memory back to the server.</summary>
    internal void Close()
    {
        foreach (var job in Jobs.All) job.Cancel(); // first: a job finishing now finds the store closed and stops
        Store.Close();
    }
}
