using System.Net;

namespace Nuclei.Server;

/// <summary>How `nuclei serve` listens and what it accepts; the defaults are the command's defaults.</summary>
/// <param name="Host">address to bind; loopback unless the user asks otherwise</param>
/// <param name="Port">TCP port (0: any free port)</param>
/// <param name="AccessToken">required on every request when set (always set when <see cref="Host"/> is not loopback)</param>
/// <param name="MaxUploadBytes">largest upload accepted</param>
/// <param name="MaxPixels">largest image (width × height) accepted, read from its header before decoding</param>
/// <param name="MaxSessionBytes">memory one session's images, maps and labels may hold together</param>
/// <param name="DefaultDiameter">the nuclei's diameter for uploads that give none (null: images are segmented at their own scale)</param>
/// <param name="MaxServerBytes">memory all sessions together may hold, uploads being read included (null: <see cref="SessionsInMemory"/> sessions' worth)</param>
/// <param name="MaxSessions">sessions (browsers) at once</param>
/// <param name="SessionIdleMinutes">a session no request came for in this long is dropped with its images</param>
internal sealed record ServerOptions(
    string Host = ServerOptions.DefaultHost, int Port = ServerOptions.DefaultPort, string? AccessToken = null,
    long MaxUploadBytes = (long)ServerOptions.DefaultMaxUploadMb << 20, long MaxPixels = ServerOptions.DefaultMaxMegapixels * 1_000_000L,
    long MaxSessionBytes = (long)ServerOptions.DefaultSessionMb << 20,
    Nuclei.Torch.Inference.Diameter? DefaultDiameter = null,
    long? MaxServerBytes = null, int MaxSessions = ServerOptions.DefaultMaxSessions, int SessionIdleMinutes = ServerOptions.DefaultSessionIdleMinutes)
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;
    // a session holds one job on an RGB image of the largest size: 16 MP × JobMemory's 76 B/px = 1,160 MB, and its body
    public const int DefaultMaxUploadMb = 64, DefaultMaxMegapixels = 16, DefaultSessionMb = 1280;
    public const int DefaultMaxSessions = 64, DefaultSessionIdleMinutes = 120, SessionsInMemory = 4;

    /// <summary>The command that started the server, program name first, for the page's run.json.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = ["nuclei", "serve"];

    /// <summary>The bound on all sessions' memory together: <see cref="MaxServerBytes"/>, or 4 full sessions.</summary>
    public long ServerBytes => MaxServerBytes ?? SessionsInMemory * MaxSessionBytes;

    public TimeSpan SessionIdle => TimeSpan.FromMinutes(SessionIdleMinutes);

    /// <summary>True when <paramref name="host"/> names this machine only (127.0.0.0/8, ::1 or localhost).</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>A fresh random access token (URL-safe).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
