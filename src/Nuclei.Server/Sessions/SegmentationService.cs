using System.Diagnostics;
using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;
using Nuclei.Server.Engine;
using Nuclei.Server.Uploads;

namespace Nuclei.Server.Sessions;

/// <summary>
/// Upload → checked image → prediction (queued, one at a time) → post-processing → session entry; and post-processing
/// again on an entry's cached maps when the thresholds change.
/// </summary>
public sealed class SegmentationService(ISegmentationEngine engine, SessionStore store, SegmentationQueue queue, ServerOptions options)
{
    /// <summary>Bytes an image of this many pixels will hold in the session (image up to 3 channels, 3 maps, labels).</summary>
    static long EstimatedBytes(long pixels) => pixels * (3 * 4 + 3 * 4 + 4);

    public ISegmentationEngine Engine => engine;

    /// <summary>Segments an upload and adds it to the session.</summary>
    /// <param name="displayName">the client's file name, for messages and download names only (never a path)</param>
    public async Task<ImageEntry> AddAsync(byte[] data, string displayName, CancellationToken cancel)
    {
        var header = Check(data, displayName);
        store.EnsureRoomFor(EstimatedBytes(header.Pixels), displayName);
        var (image, maps, seconds) = await queue.RunAsync(() =>
        {
            var clock = Stopwatch.StartNew();
            var image = ImageIO.ReadImage(data, displayName);
            if (image.Height != header.Height || image.Width != header.Width)
                throw new Core.NucleiInputException(displayName, $"decoded size {image.Width}x{image.Height} differs from the header's {header.Width}x{header.Height}");
            return (image, engine.Predict(image), clock.Elapsed.TotalSeconds);
        }, cancel);
        var result = PostProcess(image, maps, engine.Defaults);
        return store.Add(displayName, name => new ImageEntry(SessionStore.NewId(), name, image, maps, result, seconds));
    }

    /// <summary>Sniffs the format and checks the limits, from the header alone.</summary>
    public ImageHeader Check(byte[] data, string displayName)
    {
        if (data.Length == 0) throw new Core.NucleiInputException(displayName, "the upload is empty");
        if (data.Length > options.MaxUploadBytes)
            throw new TooLargeException(displayName, $"the upload is {data.Length} bytes, over the limit of {options.MaxUploadBytes}");
        var header = ImageHeader.Read(data, out string problem) ?? throw new Core.NucleiInputException(displayName, problem);
        if (header.Pixels > options.MaxPixels)
            throw new TooLargeException(displayName, $"the image is {header.Width}x{header.Height} = {header.Pixels} pixels, over the limit of {options.MaxPixels}");
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
