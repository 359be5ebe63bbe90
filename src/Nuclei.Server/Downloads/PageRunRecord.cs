using Nuclei.Core.Configuration;
using Nuclei.Core.IO;
using Nuclei.Core.Output;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Downloads;

/// <summary>
/// The run.json of the session's zip: what the page did, as `nuclei segment` records a run (<see cref="RunRecord"/>,
/// written by <see cref="RunRecordFile"/>), so one reader reads both. Its settings are the server's, those an upload gets
/// unless the page changes them (from the model, the serve command line or the defaults); the thresholds, channel, z
/// and diameter each image had otherwise are in <see cref="RunRecord.ImageSettings"/>, with source page.
/// </summary>
internal static class PageRunRecord
{
    public static RunRecord Of(IReadOnlyList<ImageEntry> entries, ISegmentationEngine engine, ServerOptions options, DateTimeOffset now)
    {
        var (settings, sources) = ServerSettings(engine, options);
        // the page has no run as `segment` has: it began with the first upload still in the session, and ends as the zip is made
        var started = entries.Select(e => e.Upload?.Received).Min() ?? now;
        var inputs = entries.Select(e => e.Upload is { } u ? new RunInput(u.Name, u.Bytes, u.Sha256) : new RunInput(e.Name, 0, null)).ToList();
        // nuclei removed on the border are not counted by the page's post-processing, so that count stays unknown (null)
        var counts = new RunImageCounts(entries.Count, entries.Count, 0, 0, entries.Sum(e => (long)e.Result.Nuclei.Count));
        return new RunRecord(Guid.NewGuid().ToString("N"), "nuclei", ToolVersion.Current, options.CommandLine, Environment.CurrentDirectory,
            started, now, engine.RunModels, settings, counts)
        {
            SettingSources = sources,
            Inputs = inputs,
            ImageSettings = entries.Zip(inputs, (e, input) => OfImage(e, input, settings)).ToList(),
        };
    }

    /// <summary>The engine's settings with what `serve` decides for every upload: its default diameter, and the planes read when the page names none.</summary>
    static (RunSettings Settings, IReadOnlyDictionary<string, SettingSource> Sources) ServerSettings(ISegmentationEngine engine, ServerOptions options)
    {
        var settings = engine.Settings with
        {
            Channel = ChannelName(PlaneChoice.Default),
            Z = ZName(PlaneChoice.Default),
            Diameter = DiameterName(options.DefaultDiameter),
            Measure = true, // the zip always holds the measurements
        };
        var known = new Dictionary<string, SettingSource>(engine.SettingSources)
        {
            [RunRecordFile.SettingName(nameof(RunSettings.Channel))] = SettingSource.Default,
            [RunRecordFile.SettingName(nameof(RunSettings.Z))] = SettingSource.Default,
            [RunRecordFile.SettingName(nameof(RunSettings.Diameter))] = options.DefaultDiameter is null ? SettingSource.Default : SettingSource.CommandLine,
            [RunRecordFile.SettingName(nameof(RunSettings.Measure))] = SettingSource.Default,
        };
        // in the order run.json lists the settings, as `segment` writes them
        var sources = RunRecordFile.Rows(settings).Where(r => known.ContainsKey(r.Name)).ToDictionary(r => r.Name, r => known[r.Name]);
        return (settings, sources);
    }

    /// <summary>The image's own settings where they differ from the server's: the thresholds its labels were made with, and the upload's planes and diameter.</summary>
    static RunImageSettings OfImage(ImageEntry entry, RunInput input, RunSettings server)
    {
        var result = entry.Result; // read once: its thresholds and correction belong together
        var t = result.Thresholds;
        var own = server with
        {
            Threshold = t.Body, ThresholdEdge = t.Contour, ThresholdMark = t.Marker, MinObjectSize = t.MinSize,
            Channel = ChannelName(entry.Fields.Planes), Z = ZName(entry.Fields.Planes), Diameter = DiameterName(entry.Fields.Diameter),
        };
        var changed = RunRecordFile.Differences(server, own);
        return new RunImageSettings(entry.Name, input.Path, changed, changed.Keys.ToDictionary(k => k, _ => SettingSource.Page), result.Correction is not null);
    }

    // as `segment` words them in its run.json
    static string ChannelName(PlaneChoice planes) => planes.Channel ?? "all";
    static string ZName(PlaneChoice planes) => planes.Z.ToString().ToLowerInvariant();
    static string DiameterName(Torch.Inference.Diameter? diameter) => diameter?.ToString() ?? "none";
}
