using System.Security.Cryptography;

namespace Nuclei.Server.Sessions;

/// <summary>
/// The server's sessions by token. Bounded three ways: a session unused for <see cref="ServerOptions.SessionIdle"/>
/// is dropped; at most <see cref="ServerOptions.MaxSessions"/> exist (an empty one is dropped to make room for a new
/// one, else the new one is refused with a 503); and all of them together hold at most
/// <see cref="ServerOptions.ServerBytes"/> (<see cref="Memory"/>). Thread-safe.
/// </summary>
internal sealed class SessionRegistry(ServerOptions options, TimeProvider? clock = null)
{
    const int TokenBytes = 32;

    readonly object gate = new();
    readonly Dictionary<string, Session> sessions = new(StringComparer.Ordinal);
    readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>The memory of all sessions together: their images, reservations and the uploads being read.</summary>
    public MemoryBudget Memory { get; } = new(options.ServerBytes);

    public IReadOnlyList<Session> All { get { lock (gate) return sessions.Values.ToList(); } }

    /// <summary>The session of <paramref name="token"/>, now used; null when there is none (never given, or dropped).</summary>
    public Session? Find(string? token)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            DropIdle(now);
            if (token is null || !sessions.TryGetValue(token, out var session)) return null;
            session.Touch(now);
            return session;
        }
    }

    /// <summary>A new session with a fresh token.</summary>
    /// <exception cref="ServerBusyException">as many sessions as allowed, none of them empty</exception>
    public Session Open()
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            DropIdle(now);
            if (sessions.Count >= options.MaxSessions && !DropLeastRecentEmpty())
                throw new ServerBusyException(null, $"the server has {sessions.Count} sessions open, as many as it allows, and all of them hold images or jobs; try again later");
            var session = new Session(NewToken(), new SessionStore(options.MaxSessionBytes, Memory), now);
            sessions.Add(session.Token, session);
            return session;
        }
    }

    void DropIdle(DateTimeOffset now)
    {
        foreach (var s in sessions.Values.Where(s => now - s.LastUsed > options.SessionIdle).ToList()) Drop(s);
    }

    /// <summary>Makes room with a session that loses nothing by going (its browser gets a new one on its next request).</summary>
    bool DropLeastRecentEmpty()
    {
        var empty = sessions.Values.Where(s => s.IsEmpty).MinBy(s => s.LastUsed);
        if (empty is null) return false;
        Drop(empty);
        return true;
    }

    void Drop(Session s)
    {
        sessions.Remove(s.Token);
        s.Close();
    }

    static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
