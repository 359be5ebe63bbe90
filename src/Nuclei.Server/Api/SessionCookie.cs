using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Api;

/// <summary>
/// Gives each browser its own session: an <c>/api/</c> request is served from the session its cookie names, or from
/// a new one whose token the answer sets (HttpOnly: no script reads it; SameSite=Strict: no other site's page sends
/// it). Only API requests open sessions, so that a link to the page from another site, which arrives without the
/// Strict cookie, does not replace the session the browser has.
/// </summary>
internal sealed class SessionCookie(SessionRegistry sessions)
{
    public async Task Handle(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
            context.RequestServices.GetRequiredService<CurrentSession>().Session = SessionOf(context);
        await next(context);
    }

    Session SessionOf(HttpContext context)
    {
        string name = NameFor(context.Request);
        if (sessions.Find(context.Request.Cookies[name]) is { } known) return known;
        var session = sessions.Open();
        context.Response.Cookies.Append(name, session.Token,
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
        return session;
    }

    /// <summary>One cookie per port: cookies are shared by every port of a host, and two servers must not replace each other's.</summary>
    internal static string NameFor(HttpRequest request) => request.Host.Port is int port ? $"nuclei-session-{port}" : "nuclei-session";
}
