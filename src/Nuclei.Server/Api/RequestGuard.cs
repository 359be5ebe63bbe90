using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Nuclei.Server.Api;

/// <summary>
/// Who may talk to the server: with an access token, every request must carry it (header <see cref="Header"/> or
/// query <c>?token=</c>); on loopback, the Host header must name this machine, so a web page elsewhere cannot reach
/// the server through a DNS name that resolves to 127.0.0.1 (DNS rebinding). Also sets headers that keep the page
/// from loading anything but its own files.
/// </summary>
internal sealed class RequestGuard(ServerOptions options)
{
    public const string Header = "X-Nuclei-Token";
    public const string Query = "token";

    const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'none'";

    public async Task Handle(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer"; // the token is in the page's URL
        headers.CacheControl = "no-store";

        if (options.AccessToken is null && !ServerOptions.IsLoopback(context.Request.Host.Host))
        {
            await ErrorResponses.Write(context, StatusCodes.Status403Forbidden, $"host '{context.Request.Host.Host}' is not this machine; open the URL nuclei serve printed");
            return;
        }
        if (options.AccessToken is string expected && !Matches(TokenOf(context.Request), expected))
        {
            await ErrorResponses.Write(context, StatusCodes.Status401Unauthorized,
                "missing or wrong access token: open the URL nuclei serve printed (it ends in ?token=...)");
            return;
        }
        await next(context);
    }

    static string? TokenOf(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var h) ? h.ToString() : request.Query.TryGetValue(Query, out var q) ? q.ToString() : null;

    static bool Matches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
