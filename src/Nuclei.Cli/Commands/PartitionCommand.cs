using static System.FormattableString;
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
public static class PartitionCommand
{
    public static Command Create()
    {
        var body = new Option<string>("--body") { Description = "body (nucleus) probability map: a file, or a folder of maps matched by file name", Required = true };
        var contour = new Option<string?>("--contour") { Description = "contour probability map(s), same names as the body maps" };
        var marker = new Option<string?>("--marker") { Description = "marker (nucleus centre) probability map(s), same names as the body maps" };
        var image = new Option<string?>("--image") { Description = "original image(s), same names, to draw the overlays on and measure (default: the body map); multi-channel or z-stack images need --channel / --z" };
        var output = new Option<string>("--out") { Description = "output folder: <id>.labels.png label maps, <id>.overlay.png, summary.csv", Required = true };
        // unset options take config/default.ini's values, read as segment reads them
        var d = new PostProcessingSettings().OverDefaults();
        var policy = new Option<string?>("--policy") { Description = $"[post] policy: how touching nuclei are split: ws (watershed) or rw (random walker); default {d.Policy.ShortName()}" };
        var markers = new Option<string?>("--markers") { Description = $"[post] markers: seeds of the split: auto (marker map, else contour, else peaks), marker, contour, or peaks (distance-transform peaks of the body); default {d.MarkerSource.ShortName()}" };
        var tBody = new Option<float?>("--threshold") { Description = Invariant($"[param] threshold: body pixels have a probability above this; default {d.ThresholdBody}") };
        var tContour = new Option<float?>("--threshold-edge") { Description = Invariant($"[param] threshold_edge: contour pixels have a probability above this; default {d.ThresholdContour}") };
        var tMarker = new Option<float?>("--threshold-mark") { Description = Invariant($"[param] threshold_mark: marker pixels have a probability above this; default {d.ThresholdMarker}") };
        var minSize = new Option<int?>("--min-object-size") { Description = $"[post] min_object_size: drop nuclei with fewer pixels; default {d.MinSize}" };
        var csv = new Option<string?>("--csv") { Description = "also write a Kaggle submission CSV (run-length encoded) to this file" };
        var removeBorder = new Option<bool>("--remove-border") { Description = "drop nuclei touching the image border" };
        var removeFiber = new Option<bool>("--remove-fiber") { Description = "drop a giant elongated object (a fibre of debris)" };
        var line = new Option<bool>("--watershed-line") { Description = "leave a one-pixel gap between touching nuclei (ws)" };

        var json = JsonSummary.Option();
        var outputs = new OutputCommandOptions();
        var reading = new InputCommandOptions(folders: false, eachPlane: false);

        var command = new Command("partition", "Split probability maps (body, optional contour and marker) into separate nuclei by watershed or random walker.");
        foreach (var o in new Option[] { body, contour, marker, image, output, policy, markers, tBody, tContour, tMarker, minSize, csv, removeBorder, removeFiber, line, json })
            command.Options.Add(o);
        outputs.AddTo(command);
        reading.AddTo(command);

        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            if (asJson) StandardOutput.BeginJson();
            var settings = new PostProcessingSettings
            {
                Policy = PostProcessingSettings.ParsePolicy(parse.GetValue(policy)),
                Markers = PostProcessingSettings.ParseMarkers(parse.GetValue(markers)),
                Threshold = parse.GetValue(tBody),
                ThresholdEdge = parse.GetValue(tContour),
                ThresholdMark = parse.GetValue(tMarker),
                MinObjectSize = parse.GetValue(minSize),
            };
            var options = settings.OverDefaults() with
            {
                RemoveBorderObjects = parse.GetValue(removeBorder),
                RemoveFiber = parse.GetValue(removeFiber),
                WatershedLine = parse.GetValue(line),
            };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new NucleiInputException(null, e.Message); }
            return Run(new PartitionRun(parse.GetValue(body)!, parse.GetValue(contour), parse.GetValue(marker), parse.GetValue(image),
                parse.GetValue(output)!, parse.GetValue(csv), options, reading.ReadPlanes(parse), outputs.Read(parse), asJson));
        });
        return command;
    }

    /// <summary>What one `nuclei partition` run reads, writes and how it splits, as parsed from the command line.</summary>
    sealed record PartitionRun(string Body, string? Contour, string? Marker, string? Image, string Out, string? Csv,
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

        int done = items.Count - failures.Count(f => f.Item != writer.SummaryPath);
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
