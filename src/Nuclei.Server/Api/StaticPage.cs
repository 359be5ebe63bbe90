using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Nuclei.Server.Api;

/// <summary>The page's files, embedded in this assembly (wwwroot/), so the server needs nothing on disk or online.</summary>
internal static class StaticPage
{
    static readonly (string Route, string Resource, string ContentType)[] Files =
    {
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/display.js", "display.js", "text/javascript; charset=utf-8"),
        ("/editor.js", "editor.js", "text/javascript; charset=utf-8"),
        ("/training.js", "training.js", "text/javascript; charset=utf-8"),
        ("/app.css", "app.css", "text/css; charset=utf-8"),
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, type) in Files)
        {
            byte[] bytes = Read(resource);
            app.MapGet(route, () => Results.Bytes(bytes, type));
        }
    }

    static byte[] Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Nuclei.Server.wwwroot." + resource)
            ?? throw new InvalidOperationException($"the page file {resource} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
