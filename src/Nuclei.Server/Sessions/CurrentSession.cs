namespace Nuclei.Server.Sessions;

/// <summary>
/// The session of the request being handled, set by the session cookie's middleware; the endpoints get its store,
/// jobs and service from the request's services, so no endpoint can reach another session's.
/// </summary>
internal sealed class CurrentSession
{
    Session? session;

    public Session Session
    {
        get => session ?? throw new InvalidOperationException("no session for this request (only /api/ requests have one)");
        set => session = value;
    }
}
