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
/// Everything the client can get wrong is found before the job starts, so it is answered with a 4xx at once.
/// </summary>
public sealed class SegmentationService(ISegmentationEngine engine, SessionStore store, SegmentationQueue queue, JobStore jobs,
    ServerOptions options, ILogger<SegmentationService>? log = null)
{
    /// <summary>Bytes an image of this many pixels will hold in the session (image up to 3 channels, 3 maps, labels).</summary>
    static long EstimatedBytes(long pixels) => pixels * (3 * 4 + 3 * 4 + 4);

    /// <summary>Estimated bytes of the jobs not finished yet: their images are decoded and held while they wait.</summary>
    long reserved;

    public ISegmentationEngine Engine => engine;

    /// <summary>Checks and decodes the upload, then queues its job (returned at once).</summary>
    /// <param name="displayName">the client's file name, for messages and download names only (never a path)</param>
    public SegmentationJob Start(byte[] data, string displayName, UploadFields fields)
    {
        var header = Check(data, displayName);
        if (fields.Diameter is not null && !engine.AcceptsDiameter)
            throw new NucleiInputException(displayName, "diameter: this model does not record its training diameter, so images cannot be rescaled to it; leave diameter out");
        long estimate = EstimatedBytes(header.Pixels);
        store.EnsureRoomFor(estimate, displayName, Interlocked.Read(ref reserved));
        var image = UploadedImage.Read(data, header, fields.Planes, displayName, options.MaxPixels);
        if (image.Height != header.Height || image.Width != header.Width)
            throw new NucleiInputException(displayName, $"decoded size {image.Width}x{image.Height} differs from the header's {header.Width}x{header.Height}");
        var job = new SegmentationJob(SessionStore.NewId(), displayName, fields);
        jobs.Add(job);
        Interlocked.Add(ref reserved, estimate);
        _ = RunAsync(job, image, estimate);
        return job;
    }

    async Task RunAsync(SegmentationJob job, FloatImage image, long estimate)
    {
        try
        {
            var (maps, seconds) = await queue.RunAsync(cancel =>
            {
                var clock = Stopwatch.StartNew();
                var maps = engine.Predict(image, job.Fields.Diameter, new InferenceProgress(cancel, job.Report));
                return (maps, clock.Elapsed.TotalSeconds);
            }, job.Cancellation, job.Start);
            var result = PostProcess(image, maps, engine.Defaults);
            job.Complete(store.Add(job.Name, name => new ImageEntry(SessionStore.NewId(), name, image, maps, result, seconds, job.Fields)));
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested) { job.Stop(); }
        catch (NucleiInputException e) { job.Fail(e, e.Message); }
        catch (Exception e)
        {
            log?.LogError(e, "segmenting {Name} failed", job.Name);
            job.Fail(e, $"{job.Name}: internal error while segmenting (details in the server's console)");
        }
        finally { Interlocked.Add(ref reserved, -estimate); }
    }

    /// <summary>The server's limits on what an upload declares: <c>--max-megapixels</c> for every plane, nothing truncated.</summary>
    ImageLimits Limits => ImageLimits.Current with { MaxPixels = options.MaxPixels, MaxWholePixels = options.MaxPixels, AcceptTruncated = false };

    /// <summary>Sniffs the format and checks the limits, from the headers alone.</summary>
    public ImageHeader Check(byte[] data, string displayName)
    {
        if (data.Length == 0) throw new NucleiInputException(displayName, "the upload is empty");
        if (data.Length > options.MaxUploadBytes)
            throw new TooLargeException(displayName, $"the upload is {data.Length} bytes, over the limit of {options.MaxUploadBytes}");
        var header = ImageHeader.Read(data, out string problem) ?? throw new NucleiInputException(displayName, problem);
        if (header.Pixels > options.MaxPixels)
            throw new TooLargeException(displayName, $"the image is {header.Width}x{header.Height} = {header.Pixels} pixels, over the limit of {options.MaxPixels}");
        ImageGate.Open(data, displayName, Limits); // every page of a TIFF (the header above is the first's), and complete
        return header;
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
    public SessionResult Rethreshold(ImageEntry entry, Thresholds thresholds)
    {
        var result = PostProcess(entry.Image, entry.Maps, thresholds);
        entry.Result = result;
        return result;
    }
}
