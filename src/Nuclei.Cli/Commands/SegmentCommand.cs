using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nuclei.Cli.Batch;
using Nuclei.Cli.Terminal;
using Nuclei.Cli.Big;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Metrics;
using Nuclei.Core.Output;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei segment INPUT... --out DIR`: finds the nuclei of every image with a trained model (the bundled
/// default, one checkpoint, or an ensemble) or the classical segmenter, and writes label maps, overlays,
/// a summary and optionally a submission CSV.
/// </summary>
public static class SegmentCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "image files, folders of images, or DSB-layout folders (<id>/images/<id>.png); " +
                          "section.key=value arguments override post-processing settings ([param] threshold*, [post] ...); or --list",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var outDir = new Option<string>("--out") { Description = "output folder (created when missing)", Required = true };
        var csv = new Option<string?>("--csv") { Description = "also write a submission CSV (ImageId,EncodedPixels) to this file" };
        var method = new Option<string?>("--method") { Description = "WHICH segmenter: model (a network predicts body, contour and marker maps, which are then split into nuclei; default) or classical (Otsu threshold + distance-peak watershed, no network; options only a network uses are then an error). Not how nuclei are split (--policy, --markers) nor how image size is handled (--mode)" };
        var models = new Option<string[]>("--model")
        {
            Description = "checkpoint or ensemble description (.nens, from train --folds) to use; repeat for an ensemble (maps averaged per head). Default: the bundled models/default.nck or $NUCLEI_MODEL",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var weights = new Option<string?>("--weights") { Description = "ensemble weights, one per --model, comma separated (e.g. 2,1; an ensemble description's members are scaled by its weight); default equal" };
        var tta = new Option<bool>("--tta") { Description = "test-time augmentation: average over the 8 flips/rotations (about 8x slower)" };
        var config = new Option<string?>("--config") { Description = "an INI file whose [param] threshold, threshold_edge, threshold_mark and [post] keys override the model's saved ones" };
        var policy = new Option<string?>("--policy") { Description = "[post] policy: the ALGORITHM that splits touching nuclei, after prediction: ws (marker-controlled watershed) or rw (random walker); default from the model's configuration (classical: ws)" };
        var markers = new Option<string?>("--markers") { Description = "[post] markers: the MARKERS (starting points) that algorithm grows nuclei from (--method model): auto (the marker head if the model has one, else body minus contour, else peaks), marker (marker head), contour (body minus contour), or peaks (distance-transform peaks of the body); default from the model's configuration" };
        var precision = new Option<string?>("--precision") { Description = "number format of the network (--method model): fp32 (default), bf16 (about 3x faster per forward pass on CPUs with AMX, e.g. Intel Xeon 4th generation and later, slower on others; mean AP within 0.001 on the validation split), or auto (bf16 where the CPU has bfloat16 instructions)" };
        var mode = new Option<string?>("--mode") { Description = "how the network meets the IMAGE SIZE (--method model): auto (default: pad up to 1536x1536 pixels, tiles above), resize (to the training width and back), pad (whole image padded to the size multiple), or tile (overlapping --tile-size tiles)" };
        var border = new Option<string?>("--border") { Description = "border added by pad/tile modes: reflect (default), replicate, black or white" };
        var tileSize = new Option<int?>("--tile-size") { Description = "tile side in tile mode (default 512)" };
        var tileOverlap = new Option<int?>("--tile-overlap") { Description = "overlap of neighbouring tiles (default 64)" };
        var threshold = new Option<float?>("--threshold") { Description = "[param] threshold: body (semantic) probability threshold; default from the model's configuration" };
        var thresholdEdge = new Option<float?>("--threshold-edge") { Description = "[param] threshold_edge: contour probability threshold; default from the model's configuration" };
        var thresholdMark = new Option<float?>("--threshold-mark") { Description = "[param] threshold_mark: marker probability threshold; default from the model's configuration" };
        var minObjectSize = new Option<int?>("--min-object-size") { Description = "[post] min_object_size: drop nuclei smaller than this many pixels; default from the model's configuration (classical: 20)" };
        var resume = new Option<bool>("--resume") { Description = "skip images whose outputs in --out are complete (from an earlier, possibly interrupted run; settings are not compared, but an image without the measurements or exports asked for is redone)" };
        var saveMaps = new Option<bool>("--save-maps") { Description = "also write each head's probability map as DIR/maps/<head>/<id>.png (8-bit), ready for `nuclei partition`" };
        var diameter = new Option<string?>("--diameter") { Description = "nucleus diameter in pixels, or auto (a first pass measures it): images whose nuclei are outside the sizes the model segments as they are (`nuclei models --model M` shows them) are rescaled to its training median; labels come back at the original size" };
        var truth = new Option<string?>("--truth") { Description = "annotations of the same images (DSB-layout folder, folder of label maps or solution CSV): score each image, print the mean AP, and with --report add scores, errors and the worst images to the report" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = one per core); 1 is faster on a machine busy with other work", DefaultValueFactory = _ => 0 };
        var json = JsonSummary.Option();
        var list = new Option<string?>("--list") { Description = "also segment the images and folders listed in this file, one per line (relative to the file's folder; # comments)" };
        var shard = new Option<string?>("--shard") { Description = "K/N: segment only shard K of N (images sorted by id, dealt round-robin), for job arrays; merge the shards' --out folders with `nuclei merge`" };

        var outputs = new OutputCommandOptions();
        var reading = new InputCommandOptions(folders: true, eachPlane: true);
        var blocks = new BlockCommandOptions();

        var command = new Command("segment", "find every nucleus in images: label maps, overlays, summary.csv, optional submission CSV, measurements and exports");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { outDir, csv, method, models, weights, tta, precision, config, policy, markers, mode, border, tileSize, tileOverlap,
                     threshold, thresholdEdge, thresholdMark, minObjectSize, saveMaps, diameter, truth, threads, resume, json, list, shard })
            command.Options.Add(o);
        outputs.AddTo(command);
        reading.AddTo(command);
        blocks.AddTo(command);

        command.SetAction(parse =>
        {
            var (paths, overrides) = SplitOverrides(parse.GetValue(inputs) ?? Array.Empty<string>());
            var settings = new SegmentSettings(
                Inputs: paths,
                OutDir: parse.GetValue(outDir)!,
                Csv: parse.GetValue(csv),
                Method: parse.GetValue(method),
                Models: parse.GetValue(models) ?? Array.Empty<string>(),
                Weights: parse.GetValue(weights),
                Tta: parse.GetValue(tta),
                Precision: parse.GetValue(precision),
                Policy: parse.GetValue(policy),
                Mode: parse.GetValue(mode),
                Border: parse.GetValue(border),
                TileSize: parse.GetValue(tileSize),
                TileOverlap: parse.GetValue(tileOverlap),
                Threshold: parse.GetValue(threshold),
                ThresholdEdge: parse.GetValue(thresholdEdge),
                ThresholdMark: parse.GetValue(thresholdMark),
                MinObjectSize: parse.GetValue(minObjectSize),
                Threads: parse.GetValue(threads),
                SaveMaps: parse.GetValue(saveMaps),
                Markers: parse.GetValue(markers),
                Diameter: parse.GetValue(diameter),
                Outputs: outputs.Read(parse),
                Truth: parse.GetValue(truth),
                Resume: parse.GetValue(resume),
                Config: parse.GetValue(config),
                Overrides: overrides,
                Json: parse.GetValue(json),
                Planes: reading.ReadPlanes(parse),
                Folders: reading.ReadFolders(parse),
                List: parse.GetValue(list),
                Shard: parse.GetValue(shard),
                Blocks: blocks.Read(parse));
            return Run(settings);
        });
        return command;
    }

    /// <summary>
    /// Everything the command line said, parsed. <c>Overlap</c> (not an option): read the next image and write the previous
    /// one while an image is segmented (<see cref="PipelinedBatch{TItem, TInput, TOutput}"/>); false runs the stages one
    /// after the other, with the same outputs.
    /// </summary>
    public sealed record SegmentSettings(
        string[] Inputs, string OutDir, string? Csv = null, string? Method = null, string[]? Models = null, string? Weights = null, bool Tta = false,
        string? Policy = null, string? Mode = null, string? Border = null, int? TileSize = null, int? TileOverlap = null,
        float? Threshold = null, float? ThresholdEdge = null, float? ThresholdMark = null, int? MinObjectSize = null, int Threads = 0,
        bool SaveMaps = false, string? Markers = null, string? Diameter = null, OutputOptions? Outputs = null, string? Truth = null,
        bool Resume = false, string? Config = null, string[]? Overrides = null, bool Json = false,
        PlaneChoice? Planes = null, FolderScan? Folders = null, string? List = null, string? Shard = null, BlockChoice? Blocks = null,
        bool Overlap = true, string? Precision = null);

    /// <summary>section.key=value arguments (configuration overrides) apart from the inputs; an existing file of such a name stays an input.</summary>
    static (string[] Inputs, string[] Overrides) SplitOverrides(string[] arguments)
    {
        bool IsOverride(string a) => OverridePattern.IsMatch(a) && !File.Exists(a) && !Directory.Exists(a);
        return (arguments.Where(a => !IsOverride(a)).ToArray(), arguments.Where(IsOverride).ToArray());
    }

    static readonly System.Text.RegularExpressions.Regex OverridePattern = new(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?=");

    /// <summary>The library's options for these settings: text parsed here, so errors name the command-line option.</summary>
    public static SegmenterOptions ToOptions(SegmentSettings s)
    {
        string methodText = s.Method ?? "model";
        var method = methodText.Trim().ToLowerInvariant() switch
        {
            "model" => SegmentationMethod.Model,
            "classical" => SegmentationMethod.Classical,
            _ => throw new NucleiInputException(null, $"--method must be model or classical, got '{methodText}'"),
        };
        return new SegmenterOptions
        {
            Method = method,
            Models = s.Models ?? [],
            Weights = ParseWeights(s.Weights),
            Tta = s.Tta,
            Precision = s.Precision is null ? null : ComputePrecisions.Parse(s.Precision, "--precision"),
            Mode = s.Mode is null ? null : ParseEnum<SizeMode>(s.Mode, "--mode"),
            Border = s.Border is null ? null : ParseEnum<PadBorder>(s.Border, "--border"),
            TileSize = s.TileSize,
            TileOverlap = s.TileOverlap,
            Diameter = Diameter.Parse(s.Diameter),
            Config = s.Config,
            Overrides = s.Overrides ?? [],
            PostProcessing = new PostProcessingSettings
            {
                Threshold = s.Threshold,
                ThresholdEdge = s.ThresholdEdge,
                ThresholdMark = s.ThresholdMark,
                MinObjectSize = s.MinObjectSize,
                Policy = PostProcessingSettings.ParsePolicy(s.Policy),
                Markers = PostProcessingSettings.ParseMarkers(s.Markers),
            },
        };
    }

    /// <summary>Runs the command; returns the exit code (0 all written, 1 some images failed, 2 bad arguments or model).</summary>
    public static int Run(SegmentSettings s)
    {
        if (s.Json) StandardOutput.BeginJson();
        if (s.Threads < 0) throw new NucleiInputException(null, $"--threads must be >= 0, got {s.Threads}");
        if (s.Threads > 0) TorchSharp.torch.set_num_threads(s.Threads);
        var options = ToOptions(s);
        if (s.SaveMaps && options.Method == SegmentationMethod.Classical)
            throw new NucleiInputException(null, "--save-maps needs --method model (the classical method makes no probability maps)");

        var segmenter = NucleiSegmenter.Load(options);
        string description = segmenter.Description;
        IReadOnlyList<string> mapHeads = s.SaveMaps ? segmenter.Model!.Predictor.Heads : Array.Empty<string>();
        using (segmenter)
        {
            var planes = s.Planes ?? PlaneChoice.Default;
            var all = MultiPlaneImage.Expand(BatchInputs.Collect(s.Inputs, s.List, s.Shard, s.Folders), planes);
            var truth = s.Truth is null ? null : LabelSources.OpenTruth(s.Truth).ToDictionary(e => e.Id, StringComparer.Ordinal);
            var writer = new SegmentationOutputWriter(s.OutDir, s.Csv, options: s.Outputs,
                runDescription: $"nuclei segment {string.Join(' ', s.Inputs)}: {all.Count} image(s) with {description}" + (s.Truth is null ? "" : $"; truth {s.Truth}"));
            var ids = all.Select(i => i.Id).ToList();
            var truthFiles = truth?.Values.Select(e => e.Source) ?? [];
            writer.EnsureNothingForeignIsReplaced(all.Select(i => i.ImagePath).Concat(truthFiles), ids,
                mapHeads.SelectMany(h => ids.Select(id => Path.Combine(writer.OutputDir, MapName(h, id)))));
            var items = s.Resume ? all.Where(i => !writer.IsComplete(i.Id, scored: truth is not null)).ToList() : all;
            if (items.Count < all.Count)
                Messages.Info($"--resume: {all.Count - items.Count} of {all.Count} image(s) already have complete outputs in {s.OutDir}, skipped");
            Messages.Info($"nuclei segment: {items.Count} image(s) with {description} → {s.OutDir}");
            var warnings = new BatchWarnings();
            var outcomes = new ImageOutcomes();
            var stages = new SegmentStages(s, segmenter, writer, truth, warnings, outcomes);
            var pipeline = new PipelinedBatch<InputImage, SegmentStages.Loaded, SegmentStages.Segmented>(
                stages.Read, stages.Segment, stages.Write, stages.RunBlockWise, overlap: s.Overlap);
            var failures = BatchRunner.Drive(items, item => item.ImagePath, done => pipeline.Run(items, done));
            warnings.Print();
            Messages.Info($"wrote {items.Count - failures.Count} of {items.Count} image(s) to {s.OutDir}");
            failures = BatchRunner.Finish(writer, failures);
            BatchRunner.Announce(writer.Report);
            double? meanAp = truth is null ? null : PrintScore(writer.Evaluations);
            int exit = BatchRunner.Report(failures, items.Count);
            if (s.Json)
                StandardOutput.WriteJson(outcomes.Summarise("segment", writer, items.Select(i => (i.ImagePath, i.ImagePath, i.Id)).ToList(),
                    all.Except(items).Select(i => (i.ImagePath, i.Id)).ToList(), failures, exit, meanAp));
            return exit;
        }
    }

    /// <summary>Prints the run's score against the truth; returns its mean AP.</summary>
    static double PrintScore(IReadOnlyList<ImageEvaluation> evaluations)
    {
        var d = DatasetScore.Aggregate(evaluations.Select(e => e.Score));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"F1@0.5 (all objects) = {d.F1At50:F4}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean_ap={d.MeanAp:F4} images={d.Images}"));
        return d.MeanAp;
    }

    /// <summary>Where a head's probability map goes, relative to --out: the folder layout `nuclei partition --body/--contour/--marker` reads.</summary>
    internal static string MapName(string head, string id) => Path.Combine("maps", head, id + ".png");

    private static IReadOnlyList<float>? ParseWeights(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w >= 0
                ? w : throw new NucleiInputException(null, $"--weights: '{p}' is not a non-negative number")).ToList();
    }

    private static T ParseEnum<T>(string text, string option) where T : struct, Enum =>
        Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var v) && Enum.IsDefined(v)
            ? v
            : throw new NucleiInputException(null, $"{option} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, got '{text}'");
}
