using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Measurements;
using Nuclei.Server.Engine;
using Nuclei.Server.Uploads;
using Nuclei.Torch.Inference;

namespace Nuclei.Server.Sessions;

/// <summary>
/// Upload → checked, decoded image (its channel and z chosen) → job: prediction (queued, one at a time, cancellable)
/// → post-processing → session entry; and post-processing again on an entry's cached maps when the thresholds change.
/// Everything the client can get wrong is found before the job starts, so it is answered with a 4xx at once. One per
/// request, for the request's session (its store and jobs).
/// </summary>
internal sealed class SegmentationService(ISegmentationEngine engine, SessionStore store, SegmentationQueue queue, JobStore jobs,
    ServerOptions options, ILogger<SegmentationService>? log = null)
{
    /// <summary>Bytes an upload of this many pixels is reserved in its session until it joins it: its job's peak (<see cref="JobMemory"/>).</summary>
    public static long EstimatedBytes(long pixels) => JobMemory.Bytes(pixels);

    public ISegmentationEngine Engine => engine;

    /// <summary>
    /// Checks the upload, reserves its memory in the session (refused at once when it does not fit), decodes it, then
    /// queues its job (returned at once). The reservation is given back whichever way the upload or its job ends,
    /// but as the image's own memory once it joins the session.
    /// </summary>
    /// <param name="displayName">the client's file name, for messages and download names only (never a path)</param>
    public SegmentationJob Start(byte[] data, string displayName, UploadFields fields)
    {
        var (header, _) = Check(data, displayName);
        if (fields.Diameter is not null && !engine.AcceptsDiameter)
            throw new NucleiInputException(displayName, "diameter: this model does not record its training diameter, so images cannot be rescaled to it; leave diameter out");
        var reservation = store.Reserve(EstimatedBytes(header.Pixels), displayName); // before the decode: its memory is what is bounded
        FloatImage image;
        try { image = Decode(data, header, fields, displayName); }
        catch { reservation.Dispose(); throw; }
        // hashed now: the upload's bytes are let go once it is decoded
        var job = new SegmentationJob(SessionStore.NewId(), displayName, fields) { Upload = UploadedFile.Of(data, displayName, DateTimeOffset.UtcNow) };
        jobs.Add(job);
        _ = RunAsync(job, image, reservation);
        return job;
    }

    FloatImage Decode(byte[] data, ImageHeader header, UploadFields fields, string displayName)
    {
        var image = UploadedImage.Read(data, header, fields.Planes, displayName, options.MaxPixels);
        if (image.Height != header.Height || image.Width != header.Width)
            throw new NucleiInputException(displayName, $"decoded size {image.Width}x{image.Height} differs from the header's {header.Width}x{header.Height}");
        return image;
    }

    async Task RunAsync(SegmentationJob job, FloatImage image, Reservation reservation)
    {
        using var _ = reservation; // given back unless the entry took it over
        try
        {
            var (maps, seconds) = await queue.RunAsync(cancel =>
            {
                var clock = Stopwatch.StartNew();
                var maps = engine.Predict(image, job.Fields.Diameter, new InferenceProgress(cancel, job.Report));
                return (maps, clock.Elapsed.TotalSeconds);
            }, job.Cancellation, job.Start);
            var result = PostProcess(image, maps, engine.Defaults);
            job.Complete(store.Add(job.Name, name => new ImageEntry(SessionStore.NewId(), name, image, maps, result, seconds, job.Fields) { Upload = job.Upload }, reservation));
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested) { job.Stop(); }
        catch (NucleiInputException e) { job.Fail(e, e.MessageFor(ServerSettingNames.Names)); }
        catch (Exception e)
        {
            log?.LogError(e, "segmenting {Name} failed", job.Name);
            job.Fail(e, $"{job.Name}: internal error while segmenting (details in the server's console)");
        }
    }

    /// <summary>The server's limits on what an upload declares: <c>--max-megapixels</c> for every plane, nothing truncated.</summary>
    ImageLimits Limits => ImageLimits.Current with { MaxPixels = options.MaxPixels, MaxWholePixels = options.MaxPixels, AcceptTruncated = false };

    /// <summary>Sniffs the format and checks the limits, from the headers alone (every page's, nothing decoded).</summary>
    public (ImageHeader Header, DeclaredImage Declared) Check(byte[] data, string displayName)
    {
        if (data.Length == 0) throw new NucleiInputException(displayName, "the upload is empty");
        if (data.Length > options.MaxUploadBytes)
            throw new TooLargeException(displayName, $"the upload is {data.Length} bytes, over the limit of {options.MaxUploadBytes}");
        var header = ImageHeader.Read(data, out string problem) ?? throw new NucleiInputException(displayName, problem);
        if (header.Pixels > options.MaxPixels)
            throw new TooLargeException(displayName, $"the image is {header.Width}x{header.Height} = {header.Pixels} pixels, over the limit of {options.MaxPixels}");
        // every page of a TIFF (the header above is the first's), and complete
        var declared = UploadedImage.Guarded(displayName, () => ImageGate.Open(data, displayName, Limits));
        return (header, declared);
    }

    /// <summary>Labels and measurements of cached maps under <paramref name="thresholds"/>.</summary>
    public SessionResult PostProcess(FloatImage image, PredictedMaps maps, Thresholds thresholds)
    {
        thresholds.Validate();
        var clock = Stopwatch.StartNew();
        var labels = engine.PostProcess(maps, thresholds);
        var nuclei = RegionMeasurer.Measure(labels, image);
        return new SessionResult(thresholds, labels, nuclei, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Re-runs post-processing of <paramref name="entry"/> with new thresholds (no prediction).</summary>
    /// <exception cref="CorrectedImageException">its labels are the user's saved corrections</exception>
    public SessionResult Rethreshold(ImageEntry entry, Thresholds thresholds) =>
        entry.Change(current => current.Correction is null
            ? PostProcess(entry.Image, entry.Maps, thresholds)
            : throw new CorrectedImageException(entry.Name));

    /// <summary>Drops the user's saved corrections of <paramref name="entry"/>: the model's labels again, under the thresholds the edits started from.</summary>
    public SessionResult DiscardCorrection(ImageEntry entry) =>
        entry.Change(current => current.Correction is null ? current : PostProcess(entry.Image, entry.Maps, current.Thresholds));
}
