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
internal static class Endpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        StaticPage.Map(app);
        app.MapGet("/api/info", Info);
        app.MapGet("/api/images", (SessionStore store) => store.All.Select(ImageListItem.Of));
        app.MapPost("/api/images", Upload);
        app.MapPost("/api/inspect", Inspect);
        app.MapPost("/api/jobs", StartJob);
        app.MapGet("/api/jobs", (JobStore jobs) => jobs.All.Select(JobSummary.Of));
        app.MapGet("/api/jobs/{id}", (string id, JobStore jobs) => JobSummary.Of(FindJob(jobs, id)));
        app.MapPost("/api/jobs/{id}/cancel", CancelJob);
        app.MapGet("/api/images/{id}", (string id, SessionStore store) => ImageSummary.Of(Find(store, id)));
        app.MapDelete("/api/images/{id}", (string id, SessionStore store) => store.Remove(id) ? Results.NoContent() : NotFound(id));
        app.MapPost("/api/images/{id}/thresholds", Rethreshold);
        app.MapGet("/api/images/{id}/picture.png", (string id, SessionStore store) => Picture(Find(store, id)));
        app.MapGet("/api/images/{id}/labels.bin", (string id, SessionStore store) => LabelBytes(Find(store, id)));
        app.MapGet("/api/images/{id}/files/{kind}", (string id, string kind, SessionStore store) =>
            Send(kind == "all.zip" ? ZipFiles.OfImage(Find(store, id)) : ImageFiles.Make(Find(store, id), kind)));
        app.MapGet("/api/session.zip", (SessionStore store, ISegmentationEngine engine, ServerOptions options) =>
            Send(ZipFiles.OfSession(store.All, engine, options, DateTimeOffset.UtcNow)));
        app.MapPut("/api/images/{id}/corrections", SaveCorrections);
        app.MapDelete("/api/images/{id}/corrections", (string id, SegmentationService service, SessionStore store) =>
        {
            service.DiscardCorrection(Find(store, id));
            return Results.NoContent();
        });
        app.MapGet("/api/training-set", (SessionStore store, ISegmentationEngine engine) => SnakeCaseJson.Result(TrainingSetSummary.Of(store.All, engine)));
        app.MapGet("/api/training-set.zip", (SessionStore store, ISegmentationEngine engine) => Send(TrainingSet.Zip(store.All, engine, DateTimeOffset.UtcNow)));
        app.MapFallback((HttpContext c) => Results.Json(new { error = $"no such page or API: {c.Request.Method} {c.Request.Path}" }, statusCode: 404));
    }

    static object Info(SegmentationService service, SessionStore store, SegmentationQueue queue, ServerOptions options) => new
    {
        engine = service.Engine.Description,
        defaults = service.Engine.Defaults,
        maxMinSize = Thresholds.MaxMinSize,
        limits = new { options.MaxUploadBytes, options.MaxPixels, options.MaxSessionBytes, MaxServerBytes = options.ServerBytes },
        diameter = options.DefaultDiameter?.ToString(),
        acceptsDiameter = service.Engine.AcceptsDiameter,
        sessionBytes = store.Bytes,
        reservedBytes = store.ReservedBytes,
        pending = queue.Pending,
        downloads = ImageFiles.Names.Append("all.zip"),
        downloadLabels = ImageFiles.Labels.Append(new("all.zip", "all (zip)")).ToDictionary(),
    };

    /// <summary>
    /// POST the image's bytes as application/octet-stream, <c>?name=</c> its file name (display only), optional
    /// <c>channel</c>, <c>z</c> and <c>diameter</c> (<see cref="UploadFields"/>); answers once it is segmented.
    /// </summary>
    static async Task<IResult> Upload(HttpContext context, SegmentationService service, SessionStore store, ServerOptions options)
    {
        var job = await Begin(context, service, store, options);
        using var _ = context.RequestAborted.Register(() => job.Cancel());
        try { return Results.Json(ImageSummary.Of(Find(store, await job.Finished)), statusCode: 201); }
        catch (OperationCanceledException) when (job.State == JobState.Cancelled && !context.RequestAborted.IsCancellationRequested)
        {
            return Results.Json(new { error = job.Error }, statusCode: 409);
        }
    }

    /// <summary>As <see cref="Upload"/>, but answers at once (202) with the job, to follow at <c>/api/jobs/{id}</c>.</summary>
    static async Task<IResult> StartJob(HttpContext context, SegmentationService service, SessionStore store, ServerOptions options) =>
        Results.Json(JobSummary.Of(await Begin(context, service, store, options)), statusCode: 202);

    /// <summary>Reads, checks and decodes the upload and queues its job; the upload's bytes are let go when it returns.</summary>
    static async Task<SegmentationJob> Begin(HttpContext context, SegmentationService service, SessionStore store, ServerOptions options)
    {
        using var upload = await ReadUpload(context, options, store);
        return service.Start(upload.Data, upload.Name, UploadFields.Parse(context.Request.Query, options.DefaultDiameter, upload.Name));
    }

    /// <summary>
    /// The channels and z planes of an image sent as <see cref="Upload"/> sends it, without segmenting it: from its
    /// headers and metadata alone, no pixel decoded, so it needs no memory beyond the upload's.
    /// </summary>
    static async Task<IResult> Inspect(HttpContext context, SegmentationService service, SessionStore store, ServerOptions options)
    {
        using var upload = await ReadUpload(context, options, store);
        var (header, declared) = service.Check(upload.Data, upload.Name);
        var layout = UploadedImage.Describe(upload.Data, header, upload.Name);
        return Results.Json(PlaneListing.Of(upload.Name, header, layout, layout is null ? UploadedImage.PictureChannels(declared) : 0));
    }

    /// <summary>Cancels a queued (dropped) or running (stopped at its next forward pass) job: 202 with the job, to follow.</summary>
    static IResult CancelJob(string id, JobStore jobs)
    {
        var job = FindJob(jobs, id);
        if (job.Cancel() || job.State == JobState.Cancelled) return Results.Json(JobSummary.Of(job), statusCode: 202);
        return Results.Json(new { error = $"job '{job.Id}' ({job.Name}) is already {job.State.ToString().ToLowerInvariant()}; nothing to cancel" }, statusCode: 409);
    }

    /// <summary>The upload's name and bytes, counted in the session's memory until disposed; the body must be application/octet-stream.</summary>
    static async Task<UploadBody> ReadUpload(HttpContext context, ServerOptions options, SessionStore store)
    {
        var request = context.Request;
        string name = UntrustedText.Clean(request.Query["name"].ToString() is { Length: > 0 } n ? n : "image", 120);
        // a plain form or a cross-site "simple" request cannot send this type without the browser asking first
        if (!string.Equals(request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedUploadException(name);
        return await UploadBody.ReadAsync(request, name, options.MaxUploadBytes, store, context.RequestAborted);
    }

    static SegmentationJob FindJob(JobStore jobs, string id) => jobs.Find(id) ?? throw new UnknownJobException(id);

    static async Task<IResult> Rethreshold(string id, HttpContext context, SegmentationService service, SessionStore store)
    {
        var entry = Find(store, id);
        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Results.Json(new { error = "send the thresholds as JSON (Content-Type application/json)" }, statusCode: 415);
        Thresholds? thresholds;
        try { thresholds = await JsonSerializer.DeserializeAsync<Thresholds>(context.Request.Body, SnakeCaseJson.Options, context.RequestAborted); }
        catch (JsonException e) { throw new NucleiInputException(null, $"thresholds are not valid JSON {{body, contour, marker, minSize}}: {e.Message}"); }
        service.Rethreshold(entry, thresholds ?? throw new NucleiInputException(null, "no thresholds given"));
        return Results.Json(ImageSummary.Of(entry));
    }

    /// <summary>
    /// PUT the page's corrected label map of an image (<see cref="LabelMapBody"/>): it becomes the image's result, kept
    /// in the session (nothing is written to disk) for the downloads and the training set; answers the correction.
    /// </summary>
    static async Task<IResult> SaveCorrections(string id, HttpContext context, SessionStore store)
    {
        var entry = Find(store, id);
        var labels = await LabelMapBody.ReadAsync(context, entry, store);
        return SnakeCaseJson.Result(CorrectionSummary.Of(entry, LabelCorrections.Save(entry, labels, DateTimeOffset.UtcNow)));
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

/// <summary>A job id the session does not hold (HTTP 404).</summary>
internal sealed class UnknownJobException(string id)
    : NucleiInputException(null, $"no job '{UntrustedText.Clean(id, 40)}' in this session (the server restarted, or it finished long ago)");

/// <summary>An upload (an image, or a corrected label map) not sent as application/octet-stream (HTTP 415).</summary>
internal sealed class UnsupportedUploadException(string name, string problem = "send the image as the request body with Content-Type application/octet-stream")
    : NucleiInputException(name, problem);

/// <summary>An image id the session does not hold (HTTP 404).</summary>
internal sealed class UnknownImageException(string id) : NucleiInputException(null, MessageFor(id))
{
    public static string MessageFor(string id) =>
        $"no image '{UntrustedText.Clean(id, 40)}' in this session (it was removed, or the server restarted: sessions live in memory)";
}
