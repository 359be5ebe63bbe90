using System.CommandLine;
using Nuclei.Cli.Batch;
using Nuclei.Cli.Terminal;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Output;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei partition`: probability maps made elsewhere (ilastik, another network) → separate nuclei, with the same
/// outputs as `nuclei segment` (label maps, overlays, summary.csv, optional submission CSV).
/// </summary>
internal static class PartitionCommand
{
    public static Command Create()
    {
        var options = new PartitionCommandOptions();
        var command = new Command("partition", "Split probability maps (body, optional contour and marker) into separate nuclei by watershed or random walker.");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            if (options.ReadJson(parse)) StandardOutput.BeginJson();
            return Run(options.Read(parse));
        });
        return command;
    }

    /// <summary>What one `nuclei partition` run reads, writes and how it splits, as parsed from the command line.</summary>
    public sealed record PartitionRun(string Body, string? Contour, string? Marker, string? Image, string Out, string? Csv,
        PartitionOptions Options, PlaneChoice Planes, OutputOptions Outputs, bool Json);

    /// <summary>Partitions every map set; returns the exit code (0 all written, 1 some failed, 2 bad arguments).</summary>
    static int Run(PartitionRun r)
    {
        var sets = MapSet.Match(r.Body, r.Contour, r.Marker, r.Image, out var problems);
        var items = sets.Select(s => (s.Id, Set: (MapSet?)s, Problem: (string?)null))
            .Concat(problems.Select(p => (p.Id, Set: (MapSet?)null, Problem: (string?)p.Message)))
            .OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        string policy = r.Options.Policy.ShortName();

        var writer = new SegmentationOutputWriter(r.Out, r.Csv, options: r.Outputs,
            runDescription: $"nuclei partition --body {r.Body}: {items.Count} map set(s), {policy}");
        writer.EnsureNothingForeignIsReplaced(
            sets.SelectMany(s => new[] { s.BodyPath, s.ContourPath, s.MarkerPath, s.ImagePath }).OfType<string>(),
            items.Select(i => i.Id).ToList());
        long nuclei = 0;
        var warnings = new BatchWarnings();
        var outcomes = new ImageOutcomes();
        var failures = BatchRunner.Run(items, i => i.Id, item =>
        {
            if (item.Problem != null) throw new NucleiInputException(null, item.Problem);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (overlayImage, labels) = PartitionOne(item.Set!, r.Options, r.Planes, warnings.Add);
            var row = writer.Write(item.Id, overlayImage, labels, seconds: clock.Elapsed.TotalSeconds);
            outcomes.Written(item.Id, item.Set!.BodyPath, row, clock.Elapsed.TotalSeconds);
            Interlocked.Add(ref nuclei, row.Nuclei);
        }, "partitioning", parallelism: Math.Max(1, Environment.ProcessorCount));
        failures = BatchRunner.Finish(writer, failures);
        warnings.Print();
        BatchRunner.Announce(writer.Report);

        int done = items.Count - failures.Count(f => !f.OfRun);
        Console.WriteLine($"partitioned {done} of {items.Count} image(s) with {policy}: {nuclei} nuclei -> {writer.OutputDir}");
        Console.WriteLine($"summary: {writer.SummaryPath}" + (writer.SubmissionCsvPath is null ? "" : $"  submission: {writer.SubmissionCsvPath}"));
        int exit = BatchRunner.Report(failures, items.Count);
        if (r.Json)
            StandardOutput.WriteJson(outcomes.Summarise("partition", writer,
                items.Select(i => (i.Id, i.Set?.BodyPath ?? i.Id, i.Id)).ToList(), [], failures, exit));
        return exit;
    }

    /// <summary>Reads and checks the maps of one image, partitions them; returns what to draw the overlay on and the labels.</summary>
    static (FloatImage Overlay, LabelImage Labels) PartitionOne(MapSet set, PartitionOptions options, PlaneChoice planes, Action<string> warn)
    {
        var body = ProbabilityMaps.Read(set.BodyPath);
        var contour = set.ContourPath == null ? null : ProbabilityMaps.Read(set.ContourPath);
        var marker = set.MarkerPath == null ? null : ProbabilityMaps.Read(set.MarkerPath);
        SameSize(contour, set.ContourPath, "contour", body, set.BodyPath);
        SameSize(marker, set.MarkerPath, "marker", body, set.BodyPath);
        FloatImage overlay = body;
        if (set.ImagePath != null)
        {
            overlay = MultiPlaneImage.Read(new InputImage(set.Id, set.ImagePath), planes, warn);
            if (overlay.Height != body.Height || overlay.Width != body.Width)
                throw new NucleiInputException(set.ImagePath, $"image is {overlay.Height}x{overlay.Width} but the body map {set.BodyPath} is {body.Height}x{body.Width}");
        }
        return (overlay, Partition.Run(body, contour, marker, options));
    }

    static void SameSize(FloatImage? map, string? path, string what, FloatImage body, string bodyPath)
    {
        if (map != null && (map.Height != body.Height || map.Width != body.Width))
            throw new NucleiInputException(path, $"{what} map is {map.Height}x{map.Width} but the body map {bodyPath} is {body.Height}x{body.Width}");
    }
}
