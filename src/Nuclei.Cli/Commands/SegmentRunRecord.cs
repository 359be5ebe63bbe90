using Nuclei.Cli.Batch;
using Nuclei.Cli.Big;
using Nuclei.Core.Configuration;
using Nuclei.Core.Output;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The <c>run.json</c> of a `segment` run (<see cref="RunRecordFile"/>): begun before the first image, with the library's
/// settled settings and this command's own (planes, blocks, outputs, truth), finished with what came of the images.
/// </summary>
static class SegmentRunRecord
{

    public static RunRecord Begin(SegmentCommand.SegmentSettings s, NucleiSegmenter segmenter, string outputDir, OutputOptions outputs)
    {
        var planes = s.Library.Planes ?? Core.IO.PlaneChoice.Default;
        var blocks = s.Blocks ?? BlockChoice.Auto;
        var settings = segmenter.Settings with
        {
            Channel = planes.Channel ?? "all",
            Z = planes.Z.ToString().ToLowerInvariant(),
            StitchThreshold = planes.Z == Core.IO.ZProjection.Stitch ? planes.StitchThreshold : null,
            Blocks = blocks.Force switch { true => "always", false => "never", null => "auto" },
            BlockSize = blocks.Options.BlockSize,
            BlockContext = blocks.Options.Context,
            Truth = s.Truth is null ? null : Path.GetFullPath(s.Truth),
            Measure = outputs.Measure,
            Exports = outputs.Exports == Core.Output.ExportFormat.None ? null : outputs.Exports.ToString().ToLowerInvariant(),
            PixelSizeUm = outputs.PixelSizeUm,
        };
        var run = new RunRecord(Guid.NewGuid().ToString("N"), "nuclei", ToolVersion.Current, ["nuclei", .. CommandLine.Arguments],
            Environment.CurrentDirectory, DateTimeOffset.Now, null, segmenter.ModelFiles(), settings)
        {
            SettingSources = SourcesOf(settings, segmenter.SettingSources, s, outputs),
        };
        return RunRecordFile.Begin(outputDir, run);
    }

    /// <summary>
    /// The library's sources with this command's own settings, each from the command line when its option was given (or,
    /// for an option with a default value, when it differs from it); only for the settings run.json lists.
    /// </summary>
    static IReadOnlyDictionary<string, SettingSource> SourcesOf(RunSettings settings, IReadOnlyDictionary<string, SettingSource> library,
        SegmentCommand.SegmentSettings s, OutputOptions outputs)
    {
        var sources = new Dictionary<string, SettingSource>(library);
        void Add(string property, bool given) => sources[RunRecordFile.SettingName(property)] = given ? SettingSource.CommandLine : SettingSource.Default;
        var planes = s.Library.Planes ?? Core.IO.PlaneChoice.Default;
        var blocks = s.Blocks ?? BlockChoice.Auto;
        Add(nameof(RunSettings.Channel), planes.Channel is not null);
        Add(nameof(RunSettings.Z), planes.Z != Core.IO.PlaneChoice.Default.Z);
        Add(nameof(RunSettings.StitchThreshold), planes.StitchThreshold != Core.IO.PlaneChoice.Default.StitchThreshold);
        Add(nameof(RunSettings.Blocks), blocks.Force is not null);
        Add(nameof(RunSettings.BlockSize), blocks.Options.BlockSize != BlockChoice.Auto.Options.BlockSize);
        Add(nameof(RunSettings.BlockContext), blocks.Options.Context != BlockChoice.Auto.Options.Context);
        Add(nameof(RunSettings.Truth), s.Truth is not null);
        Add(nameof(RunSettings.Measure), outputs.Measure);
        Add(nameof(RunSettings.Exports), outputs.Exports != Core.Output.ExportFormat.None);
        Add(nameof(RunSettings.PixelSizeUm), outputs.PixelSizeUm is not null);
        // in the order run.json lists the settings, which a reader compares side by side
        return RunRecordFile.Rows(settings).Where(r => sources.ContainsKey(r.Name)).ToDictionary(r => r.Name, r => sources[r.Name]);
    }

    /// <param name="failed">images of this run that failed</param>
    public static void Finish(RunRecord run, string outputDir, int planned, int skipped, int failed, ImageOutcomes outcomes)
    {
        var (written, nuclei, removed) = outcomes.WrittenTotals();
        RunRecordFile.Finish(outputDir, run with
        {
            Finished = DateTimeOffset.Now,
            Inputs = outcomes.WrittenFiles().Select(RunInput.Of).ToList(),
            Images = new RunImageCounts(planned, written, failed, skipped, nuclei, run.Settings.ExcludeOnEdges ? removed ?? 0 : null),
        });
    }
}
