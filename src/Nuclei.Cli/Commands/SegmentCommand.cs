using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nuclei.Cli.Batch;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Core.Output;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;

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
            Description = "image files, folders of images, or DSB-layout folders (<id>/images/<id>.png)",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = new Option<string>("--out") { Description = "output folder (created when missing)", Required = true };
        var csv = new Option<string?>("--csv") { Description = "also write a submission CSV (ImageId,EncodedPixels) to this file" };
        var method = new Option<string>("--method") { Description = "model (default) or classical (Otsu + watershed, no network)", DefaultValueFactory = _ => "model" };
        var models = new Option<string[]>("--model")
        {
            Description = "checkpoint to use; repeat for an ensemble (maps averaged per head). Default: the bundled models/default.nck or $NUCLEI_MODEL",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var weights = new Option<string?>("--weights") { Description = "ensemble weights, one per --model, comma separated (e.g. 2,1); default equal" };
        var tta = new Option<bool>("--tta") { Description = "test-time augmentation: average over the 8 flips/rotations (about 8x slower)" };
        var policy = new Option<string?>("--policy") { Description = "how touching nuclei are split: ws (watershed) or rw (random walker); default from the model's configuration" };
        var markers = new Option<string?>("--markers") { Description = "seeds of the split: auto, marker (marker head), contour, or peaks (distance-transform peaks of the body); default from the model's configuration" };
        var mode = new Option<string>("--mode") { Description = "auto (pad up to 1536x1536 pixels, tiles above), resize (to the training width), pad, or tile", DefaultValueFactory = _ => "auto" };
        var border = new Option<string>("--border") { Description = "border added by pad/tile modes: reflect, replicate, black or white", DefaultValueFactory = _ => "reflect" };
        var tileSize = new Option<int>("--tile-size") { Description = "tile side in tile mode", DefaultValueFactory = _ => 512 };
        var tileOverlap = new Option<int>("--tile-overlap") { Description = "overlap of neighbouring tiles", DefaultValueFactory = _ => 64 };
        var thresholdBody = new Option<float?>("--threshold-body") { Description = "body (semantic) probability threshold; default from the model's configuration" };
        var thresholdContour = new Option<float?>("--threshold-contour") { Description = "contour probability threshold; default from the model's configuration" };
        var thresholdMarker = new Option<float?>("--threshold-marker") { Description = "marker probability threshold; default from the model's configuration" };
        var minSize = new Option<int?>("--min-size") { Description = "drop nuclei smaller than this many pixels; default from the configuration" };
        var resume = new Option<bool>("--resume") { Description = "skip images whose outputs in --out are complete (from an earlier, possibly interrupted run; settings are not compared, but an image without the measurements or exports asked for is redone)" };
        var saveMaps = new Option<bool>("--save-maps") { Description = "also write each head's probability map as DIR/maps/<head>/<id>.png (8-bit), ready for `nuclei partition`" };
        var diameter = new Option<string?>("--diameter") { Description = "nucleus diameter in pixels, or auto (a first pass measures it): images are rescaled so their nuclei match the model's training size, labels come back at the original size" };
        var truth = new Option<string?>("--truth") { Description = "annotations of the same images (DSB-layout folder, folder of label maps or solution CSV): score each image, print the mean AP, and with --report add scores, errors and the worst images to the report" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = one per core); 1 is faster on a machine busy with other work", DefaultValueFactory = _ => 0 };

        var outputs = new OutputCommandOptions();

        var command = new Command("segment", "find every nucleus in images: label maps, overlays, summary.csv, optional submission CSV, measurements and exports");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { outDir, csv, method, models, weights, tta, policy, markers, mode, border, tileSize, tileOverlap,
                     thresholdBody, thresholdContour, thresholdMarker, minSize, saveMaps, diameter, truth, threads, resume })
            command.Options.Add(o);
        outputs.AddTo(command);

        command.SetAction(parse =>
        {
            var settings = new SegmentSettings(
                Inputs: parse.GetValue(inputs) ?? Array.Empty<string>(),
                OutDir: parse.GetValue(outDir)!,
                Csv: parse.GetValue(csv),
                Method: parse.GetValue(method) ?? "model",
                Models: parse.GetValue(models) ?? Array.Empty<string>(),
                Weights: parse.GetValue(weights),
                Tta: parse.GetValue(tta),
                Policy: parse.GetValue(policy),
                Mode: parse.GetValue(mode) ?? "auto",
                Border: parse.GetValue(border) ?? "reflect",
                TileSize: parse.GetValue(tileSize),
                TileOverlap: parse.GetValue(tileOverlap),
                ThresholdBody: parse.GetValue(thresholdBody),
                ThresholdContour: parse.GetValue(thresholdContour),
                ThresholdMarker: parse.GetValue(thresholdMarker),
                MinSize: parse.GetValue(minSize),
                Threads: parse.GetValue(threads),
                SaveMaps: parse.GetValue(saveMaps),
                Markers: parse.GetValue(markers),
                Diameter: parse.GetValue(diameter),
                Outputs: outputs.Read(parse),
                Truth: parse.GetValue(truth),
                Resume: parse.GetValue(resume));
            return Run(settings);
        });
        return command;
    }

    /// <summary>Everything the command line said, parsed.</summary>
    public sealed record SegmentSettings(
        string[] Inputs, string OutDir, string? Csv, string Method, string[] Models, string? Weights, bool Tta,
        string? Policy, string Mode, string Border, int TileSize, int TileOverlap,
        float? ThresholdBody, float? ThresholdContour, float? ThresholdMarker, int? MinSize, int Threads = 0, bool SaveMaps = false, string? Markers = null,
        string? Diameter = null, OutputOptions? Outputs = null, string? Truth = null, bool Resume = false);

    /// <summary>Runs the command; returns the exit code (0 all written, 1 some images failed, 2 bad arguments or model).</summary>
    public static int Run(SegmentSettings s)
    {
        if (s.Threads < 0) throw new NucleiInputException(null, $"--threads must be >= 0, got {s.Threads}");
        if (s.Threads > 0) TorchSharp.torch.set_num_threads(s.Threads);
        SplitPolicy? policy = null;
        if (s.Policy is not null)
        {
            if (!SplitPolicyNames.TryParse(s.Policy, out var p))
                throw new NucleiInputException(null, $"--policy must be ws or rw, got '{s.Policy}'");
            policy = p;
        }

        Func<FloatImage, InputImage, (LabelImage Labels, IReadOnlyList<(string Name, byte[] Bytes)>? Maps)> segment;
        IDisposable? owned = null;
        string description;
        IReadOnlyList<string> mapHeads = Array.Empty<string>();
        switch (s.Method.Trim().ToLowerInvariant())
        {
            case "classical":
            {
                if (s.Models.Length > 0) throw new NucleiInputException(null, "--model is for --method model; the classical method uses no network");
                if (s.SaveMaps) throw new NucleiInputException(null, "--save-maps needs --method model (the classical method makes no probability maps)");
                if (s.Diameter is not null) throw new NucleiInputException(null, "--diameter is for --method model (it rescales images to the model's training scale)");
                var options = new ClassicalOptions { Policy = policy ?? SplitPolicy.Watershed };
                if (s.MinSize is int ms) options = options with { MinSize = ms };
                segment = (image, _) => (ClassicalSegmenter.Segment(image, options), null);
                description = $"classical ({options.Policy.ShortName()})";
                break;
            }
            case "model":
            {
                var segmenter = CreateModelSegmenter(s, policy);
                owned = segmenter;
                segment = (image, item) =>
                {
                    var labels = segmenter.Segment(image, item.ImagePath, out var maps);
                    return (labels, s.SaveMaps ? EncodeMaps(item.Id, maps) : null);
                };
                var p = segmenter.Predictor;
                if (s.SaveMaps) mapHeads = p.Heads;
                description = Describe(segmenter);
                break;
            }
            default:
                throw new NucleiInputException(null, $"--method must be model or classical, got '{s.Method}'");
        }

        using (owned)
        {
            var all = InputCollector.Collect(s.Inputs);
            var truth = s.Truth is null ? null : LabelSources.OpenTruth(s.Truth).ToDictionary(e => e.Id, StringComparer.Ordinal);
            var writer = new SegmentationOutputWriter(s.OutDir, s.Csv, options: s.Outputs,
                runDescription: $"nuclei segment {string.Join(' ', s.Inputs)}: {all.Count} image(s) with {description}" + (s.Truth is null ? "" : $"; truth {s.Truth}"));
            var ids = all.Select(i => i.Id).ToList();
            var truthFiles = truth?.Values.Select(e => e.Source) ?? [];
            writer.EnsureNothingForeignIsReplaced(all.Select(i => i.ImagePath).Concat(truthFiles), ids,
                mapHeads.SelectMany(h => ids.Select(id => Path.Combine(writer.OutputDir, MapName(h, id)))));
            var items = s.Resume ? all.Where(i => !writer.IsComplete(i.Id, scored: truth is not null)).ToList() : all;
            if (items.Count < all.Count)
                Console.Error.WriteLine($"--resume: {all.Count - items.Count} of {all.Count} image(s) already have complete outputs in {s.OutDir}, skipped");
            Console.Error.WriteLine($"nuclei segment: {items.Count} image(s) with {description} → {s.OutDir}");
            var warnings = new BatchWarnings();
            var failures = BatchRunner.Run(items, item => item.ImagePath, item =>
            {
                var clock = Stopwatch.StartNew();
                var image = ImageIO.ReadImage(item.ImagePath, warnings.Add);
                var truthLabels = truth is null ? null : TruthOf(truth, item, image, s.Truth!);
                var (labels, maps) = segment(image, item);
                writer.Write(item.Id, image, labels, maps, clock.Elapsed.TotalSeconds, truthLabels);
            });
            warnings.Print();
            Console.Error.WriteLine($"wrote {items.Count - failures.Count} of {items.Count} image(s) to {s.OutDir}");
            failures = BatchRunner.Finish(writer, failures);
            BatchRunner.Announce(writer.Report);
            if (truth is not null) PrintScore(writer.Evaluations);
            return BatchRunner.Report(failures, items.Count);
        }
    }

    /// <summary>What segments: model file(s), size mode, diameter, TTA and split policy.</summary>
    public static string Describe(ModelSegmenter segmenter)
    {
        var p = segmenter.Predictor;
        return $"{string.Join(" + ", p.Models.Select(m => Path.GetFileName(m.Source)))}, mode {p.Options.Mode.ToString().ToLowerInvariant()}" +
               (segmenter.Diameter is { } d ? $", diameter {d}" : "") +
               $"{(p.Options.Transforms is { } t ? ", tta x" + t.Count : "")}, {segmenter.Partition.Policy.ShortName()}";
    }

    /// <summary>An image's annotation, which must exist and be of the image's size.</summary>
    static LabelImage TruthOf(Dictionary<string, LabelEntry> truth, InputImage item, FloatImage image, string truthPath)
    {
        if (!truth.TryGetValue(item.Id, out var entry))
            throw new NucleiInputException(item.ImagePath, $"no annotation for image '{item.Id}' in {truthPath}");
        var labels = entry.Load((image.Height, image.Width));
        if (labels.Height != image.Height || labels.Width != image.Width)
            throw new NucleiInputException(entry.Source, $"annotation is {labels.Height}x{labels.Width} but the image {item.ImagePath} is {image.Height}x{image.Width}");
        return labels;
    }

    static void PrintScore(IReadOnlyList<ImageEvaluation> evaluations)
    {
        var d = DatasetScore.Aggregate(evaluations.Select(e => e.Score));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"F1@0.5 (all objects) = {d.F1At50:F4}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean_ap={d.MeanAp:F4} images={d.Images}"));
    }

    /// <summary>Where a head's probability map goes, relative to --out: the folder layout `nuclei partition --body/--contour/--marker` reads.</summary>
    static string MapName(string head, string id) => Path.Combine("maps", head, id + ".png");

    /// <summary>Per-head maps as 8-bit PNGs, written with the image's other outputs.</summary>
    static IReadOnlyList<(string Name, byte[] Bytes)> EncodeMaps(string id, HeadProbabilities maps) =>
        maps.Heads.Select((head, k) => (MapName(head, id), ImageIO.EncodeImage8(maps.Maps[k], ".png"))).ToList();

    /// <summary>Loads the checkpoint(s) and settles prediction and post-processing options (command line over the model's configuration).</summary>
    public static ModelSegmenter CreateModelSegmenter(SegmentSettings s, SplitPolicy? policy)
    {
        string[] paths = s.Models;
        if (paths.Length == 0)
        {
            string? found = DefaultModel.Locate();
            if (found is null)
                throw new NucleiInputException(DefaultModel.ExpectedPath(),
                    $"no --model given and the bundled default model was not found (nor ${DefaultModel.EnvironmentVariable} set). " +
                    "Pass --model PATH, or use --method classical to segment without a network.");
            paths = new[] { found };
        }
        float[] weights = ParseWeights(s.Weights, paths.Length);

        var loaded = new List<InferenceModel>();
        try
        {
            for (int i = 0; i < paths.Length; i++) loaded.Add(CheckpointModels.Load(paths[i], weights[i]));
            var options = new PredictionOptions
            {
                Mode = ParseEnum<SizeMode>(s.Mode, "--mode"),
                Border = ParseEnum<PadBorder>(s.Border, "--border"),
                Transforms = s.Tta ? TestTimeAugmentation.Standard : null,
                TileSize = s.TileSize > 0 ? s.TileSize : throw new NucleiInputException(null, "--tile-size must be positive"),
                TileOverlap = s.TileOverlap >= 0 ? s.TileOverlap : throw new NucleiInputException(null, "--tile-overlap must be >= 0"),
            };
            var predictor = new Predictor(loaded, options);

            // post-processing: the first model's saved configuration, then the command line
            var partition = CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(paths[0]));
            if (policy is { } p) partition = partition with { Policy = p };
            if (s.Markers is not null)
            {
                if (!MarkerSourceNames.TryParse(s.Markers, out var m))
                    throw new NucleiInputException(null, $"--markers must be auto, marker, contour or peaks, got '{s.Markers}'");
                partition = partition with { MarkerSource = m };
            }
            if (s.ThresholdBody is float tb) partition = partition with { ThresholdBody = tb };
            if (s.ThresholdContour is float tc) partition = partition with { ThresholdContour = tc };
            if (s.ThresholdMarker is float tm) partition = partition with { ThresholdMarker = tm };
            if (s.MinSize is int ms) partition = partition with { MinSize = ms };
            try { return new ModelSegmenter(predictor, partition) { Diameter = Diameter.Parse(s.Diameter), ModelDiameter = loaded[0].MedianDiameter }; }
            catch (ArgumentException e) { throw new NucleiInputException(null, e.Message); }
        }
        catch
        {
            foreach (var m in loaded) m.Dispose();
            throw;
        }
    }

    private static float[] ParseWeights(string? text, int count)
    {
        if (string.IsNullOrWhiteSpace(text)) return Enumerable.Repeat(1f, count).ToArray();
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != count)
            throw new NucleiInputException(null, $"--weights has {parts.Length} value(s) for {count} model(s)");
        return parts.Select(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w >= 0
            ? w : throw new NucleiInputException(null, $"--weights: '{p}' is not a non-negative number")).ToArray();
    }

    private static T ParseEnum<T>(string text, string option) where T : struct, Enum =>
        Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var v) && Enum.IsDefined(v)
            ? v
            : throw new NucleiInputException(null, $"{option} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, got '{text}'");
}
