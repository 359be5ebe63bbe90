using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Server.Downloads;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;
using Nuclei.Server.Uploads;

namespace Nuclei.Server.Api;

/// <summary>The HTTP interface of the page, the one place its routes are listed.</summary>
public static class Endpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        StaticPage.Map(app);
        app.MapGet("/api/info", Info);
        app.MapGet("/api/images", (SessionStore store) => store.All.Select(ImageListItem.Of));
        app.MapPost("/api/images", Upload);
        app.MapGet("/api/images/{id}", (string id, SessionStore store) => ImageSummary.Of(Find(store, id)));
        app.MapDelete("/api/images/{id}", (string id, SessionStore store) => store.Remove(id) ? Results.NoContent() : NotFound(id));
        app.MapPost("/api/images/{id}/thresholds", Rethreshold);
        app.MapGet("/api/images/{id}/picture.png", (string id, SessionStore store) => Picture(Find(store, id)));
        app.MapGet("/api/images/{id}/labels.bin", (string id, SessionStore store) => LabelBytes(Find(store, id)));
        app.MapGet("/api/images/{id}/files/{kind}", (string id, string kind, SessionStore store) =>
            Send(kind == "all.zip" ? ZipFiles.OfImage(Find(store, id)) : ImageFiles.Make(Find(store, id), kind)));
        app.MapGet("/api/session.zip", (SessionStore store) => Send(ZipFiles.OfSession(store.All)));
        app.MapFallback((HttpContext c) => Results.Json(new { error = $"no such page or API: {c.Request.Method} {c.Request.Path}" }, statusCode: 404));
    }

    static object Info(SegmentationService service, SessionStore store, SegmentationQueue queue, ServerOptions options) => new
    {
        engine = service.Engine.Description,
        defaults = service.Engine.Defaults,
        maxMinSize = Thresholds.MaxMinSize,
        limits = new { options.MaxUploadBytes, options.MaxPixels, options.MaxSessionBytes },
        sessionBytes = store.Bytes,
        pending = queue.Pending,
        downloads = ImageFiles.Names.Append("all.zip"),
    };

    /// <summary>POST the image's bytes as application/octet-stream, <c>?name=</c> its file name (display only).</summary>
    static async Task<IResult> Upload(HttpContext context, SegmentationService service, ServerOptions options)
    {
        var request = context.Request;
        string name = UntrustedText.Clean(request.Query["name"].ToString() is { Length: > 0 } n ? n : "image", 120);
        // a plain form or a cross-site "simple" request cannot send this type without the browser asking first
        if (!string.Equals(request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            return Results.Json(new { error = $"{name}: send the image as the request body with Content-Type application/octet-stream" }, statusCode: 415);
        byte[] data = await BodyReader.ReadAsync(request, options.MaxUploadBytes, name, context.RequestAborted);
        var entry = await service.AddAsync(data, name, context.RequestAborted);
        return Results.Json(ImageSummary.Of(entry), statusCode: 201);
    }

    static async Task<IResult> Rethreshold(string id, HttpContext context, SegmentationService service, SessionStore store)
    {
        var entry = Find(store, id);
        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Results.Json(new { error = "send the thresholds as JSON (Content-Type application/json)" }, statusCode: 415);
        Thresholds? thresholds;
        try { thresholds = await JsonSerializer.DeserializeAsync<Thresholds>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted); }
        catch (JsonException e) { throw new NucleiInputException(null, $"thresholds are not valid JSON {{body, contour, marker, minSize}}: {e.Message}"); }
        service.Rethreshold(entry, thresholds ?? throw new NucleiInputException(null, "no thresholds given"));
        return Results.Json(ImageSummary.Of(entry));
    }

    /// <summary>The image as the overlay shows it (8-bit, stretched), which a browser can draw whatever the file's depth.</summary>
    static IResult Picture(ImageEntry e)
    {
        using var mat = OverlayPicture.ToBgr(Overlay.StretchForDisplay(e.Image), e.Image.Height, e.Image.Width);
        return Results.Bytes(ImageIO.EncodePicture(mat, ".png"), "image/png");
    }

    /// <summary>The label map as little-endian 32-bit integers, row by row (width and height are in the summary).</summary>
    static IResult LabelBytes(ImageEntry e)
    {
        int[] labels = e.Result.Labels.Data;
        var bytes = new byte[labels.Length * 4];
        Buffer.BlockCopy(labels, 0, bytes, 0, bytes.Length); // little-endian on every platform .NET runs this on
        return Results.Bytes(bytes, "application/octet-stream");
    }

    static IResult Send(DownloadFile f) => Results.File(f.Bytes, f.ContentType, f.Name);

    static ImageEntry Find(SessionStore store, string id) => store.Find(id) ?? throw new UnknownImageException(id);

    static IResult NotFound(string id) => Results.Json(new { error = UnknownImageException.MessageFor(id) }, statusCode: 404);
}

/// <summary>An image id the session does not hold (HTTP 404).</summary>
public sealed class UnknownImageException(string id) : NucleiInputException(null, MessageFor(id))
{
    public static string MessageFor(string id) =>
        $"no image '{UntrustedText.Clean(id, 40)}' in this session (it was removed, or the server restarted: sessions live in memory)";
}
