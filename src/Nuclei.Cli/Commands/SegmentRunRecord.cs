using System.Reflection;
using Nuclei.Cli.Batch;
using Nuclei.Cli.Big;
using Nuclei.Core.Output;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The <c>run.json</c> of a `segment` run (<see cref="RunRecordFile"/>): begun before the first image, with the library's
/// settled settings and this command's own (planes, blocks, outputs, truth), finished with what came of the images.
/// </summary>
static class SegmentRunRecord
{
    /// <summary>The tool's version as built (with the commit it was built from, when known).</summary>
    public static string ToolVersion { get; } =
        typeof(SegmentRunRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static RunRecord Begin(SegmentCommand.SegmentSettings s, NucleiSegmenter segmenter, string outputDir, OutputOptions outputs)
    {
        var planes = s.Planes ?? Core.IO.PlaneChoice.Default;
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
        var run = new RunRecord(Guid.NewGuid().ToString("N"), "nuclei", ToolVersion, ["nuclei", .. CommandLine.Arguments],
            Environment.CurrentDirectory, DateTimeOffset.Now, null, segmenter.ModelFiles(), settings);
        return RunRecordFile.Begin(outputDir, run);
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
