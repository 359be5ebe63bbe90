using System.CommandLine;
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
using Nuclei.Core.Settings;
using Nuclei.Core.Staining;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei segment INPUT... --out DIR`: finds the nuclei of every image with a trained model (the bundled
/// default, one checkpoint, or an ensemble) or the classical segmenter, and writes label maps, overlays,
/// a summary and optionally a submission CSV.
/// </summary>
internal static class SegmentCommand
{
    public static Command Create()
    {
        var options = new SegmentCommandOptions();
        var command = new Command("segment", "Find every nucleus in images: label maps, overlays, summary.csv, optional submission CSV, measurements and exports");
        options.AddTo(command);
        command.SetAction(parse => Run(options.Read(parse)));
        return command;
    }

    /// <summary>
    /// Everything the command line said, parsed: <c>Segmenter</c>, the library's options (null: its defaults), and what
    /// only the command uses. <c>Overlap</c> (not an option): read the next image and write the previous one while an
    /// image is segmented (<see cref="PipelinedBatch{TItem, TInput, TOutput}"/>); false runs the stages one after the
    /// other, with the same outputs.
    /// </summary>
    public sealed record SegmentSettings(
        string[] Inputs, string OutDir, SegmenterOptions? Segmenter = null, string? Csv = null, int Threads = 0,
        bool SaveMaps = false, OutputOptions? Outputs = null, string? Truth = null, bool Resume = false, bool Json = false,
        FolderScan? Folders = null, string? List = null, string? Shard = null, BlockChoice? Blocks = null,
        bool Overlap = true, ImageLimits? Limits = null)
    {
        /// <summary>The library's options, its defaults where none were given.</summary>
        public SegmenterOptions Library => Segmenter ?? new SegmenterOptions();
    }

    /// <summary>Runs the command; returns the exit code (0 all written, 1 some images failed, 2 bad arguments or model).</summary>
    public static int Run(SegmentSettings s)
    {
        var before = ImageLimits.Current;
        if (s.Limits is not null) ImageLimits.Current = s.Limits;
        try { return RunWithLimits(s); }
        finally { ImageLimits.Current = before; }
    }

    static int RunWithLimits(SegmentSettings s)
    {
        if (s.Json) StandardOutput.BeginJson();
        var segmenter = NucleiSegmenter.Load(CheckedOptions(s));
        if (segmenter.DeviceFallback is { } fallback) Messages.Info(fallback);
        string description = segmenter.Description;
        IReadOnlyList<string> mapHeads = s.SaveMaps ? segmenter.Model!.Predictor.Heads : Array.Empty<string>();
        using (segmenter)
        {
            var batch = PlanBatch(s, description, mapHeads);
            var record = SegmentRunRecord.Begin(s, segmenter, batch.Writer.OutputDir, batch.Writer.Options);
            var outcomes = new ImageOutcomes();
            var failures = SegmentAll(s, segmenter, batch, outcomes);
            if (batch.Stacks.Count > 0)
                failures = [.. failures, .. StackStitching.Run(batch.Stacks, failures, batch.Writer, (s.Library.Planes ?? PlaneChoice.Default).StitchThreshold)];
            // before the report, which shows the run's settings from it
            SegmentRunRecord.Finish(record, batch.Writer.OutputDir, batch.All.Count, skipped: batch.All.Count - batch.Items.Count,
                failed: batch.Items.Count - outcomes.WrittenTotals().Images, outcomes);
            return Finish(s, batch, failures, outcomes);
        }
    }

    /// <summary>The library's options once the command's own checks pass; sets the libtorch thread count (which ONNX Runtime sessions take too).</summary>
    static SegmenterOptions CheckedOptions(SegmentSettings s)
    {
        if (s.Threads < 0) throw new NucleiInputException(null, $"--threads must be >= 0, got {s.Threads}");
        if (s.Threads > 0) TorchSharp.torch.set_num_threads(s.Threads);
        var options = s.Library;
        if (s.SaveMaps && options.Method == SegmentationMethod.Classical)
            throw new NucleiInputException(null, "--save-maps needs --method model (the classical method makes no probability maps)");
        return options;
    }

    /// <summary>A run's images (<c>Items</c>: those to segment, fewer than <c>All</c> with --resume), their truth, and the writer of the outputs;
    /// <c>Stacks</c>: with --z stitch, the images whose planes are stitched after the batch.</summary>
    sealed record SegmentBatch(IReadOnlyList<InputImage> All, IReadOnlyList<InputImage> Items,
        Dictionary<string, LabelEntry>? Truth, SegmentationOutputWriter Writer, IReadOnlyList<PlaneStack> Stacks);

    /// <summary>
    /// Collects the images and the truth, opens the output folder (refusing to replace files a run did not write there),
    /// and with --resume leaves out the images whose outputs are complete.
    /// </summary>
    static SegmentBatch PlanBatch(SegmentSettings s, string description, IReadOnlyList<string> mapHeads)
    {
        var planes = s.Library.Planes ?? PlaneChoice.Default;
        var collected = BatchInputs.Collect(s.Inputs, s.List, s.Shard, s.Folders);
        var all = BatchInputs.ExpandPlanes(collected, planes);
        var stacks = planes.Z == ZProjection.Stitch ? PlaneStack.Of(collected, all) : [];
        var truth = s.Truth is null ? null : LabelSources.OpenTruth(s.Truth).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var writer = new SegmentationOutputWriter(s.OutDir, s.Csv, options: s.Outputs,
            runDescription: $"nuclei segment {string.Join(' ', s.Inputs)}: {all.Count} image(s) with {description}" + (s.Truth is null ? "" : $"; truth {s.Truth}"));
        var ids = all.Select(i => i.Id).ToList();
        var truthFiles = truth?.Values.Select(e => e.Source) ?? [];
        writer.EnsureNothingForeignIsReplaced(all.Select(i => i.ImagePath).Concat(truthFiles), ids,
            mapHeads.SelectMany(h => ids.Select(id => Path.Combine(writer.OutputDir, MapName(h, id))))
                .Concat(StackStitching.Outputs(stacks, writer.OutputDir)));
        var items = s.Resume ? all.Where(i => !writer.IsComplete(i.Id, scored: truth is not null)).ToList() : all;
        if (items.Count < all.Count)
            Messages.Info($"--resume: {all.Count - items.Count} of {all.Count} image(s) already have complete outputs in {s.OutDir}, skipped");
        Messages.Info($"nuclei segment: {items.Count} image(s) with {description} → {s.OutDir}");
        return new SegmentBatch(all, items, truth, writer, stacks);
    }

    /// <summary>Reads, segments and writes the images, the stages overlapping unless told not to; returns the images that failed.</summary>
    static IReadOnlyList<BatchFailure> SegmentAll(SegmentSettings s, NucleiSegmenter segmenter, SegmentBatch batch, ImageOutcomes outcomes)
    {
        var items = batch.Items;
        var warnings = new BatchWarnings();
        var stages = new SegmentStages(s, segmenter, batch.Writer, batch.Truth, warnings, outcomes);
        var pipeline = new PipelinedBatch<InputImage, SegmentStages.Loaded, SegmentStages.Segmented>(
            stages.Read, stages.Segment, stages.Write, stages.RunBlockWise, overlap: s.Overlap);
        var failures = BatchRunner.Drive(items, item => item.ImagePath, done => pipeline.Run(items, done));
        if (stages.SizeHints?.Message() is { } sizes) warnings.Add(sizes);
        if (stages.FewNuclei?.Message() is { } few) warnings.Add(few);
        if (stages.AutoDoubts.Message() is { } doubts) warnings.Add(doubts);
        warnings.Print();
        Messages.Info($"wrote {items.Count - failures.Count} of {items.Count} image(s) to {s.OutDir}");
        return failures;
    }

    /// <summary>Completes the run's outputs, prints the score and the failures, writes the --json summary; returns the exit code.</summary>
    static int Finish(SegmentSettings s, SegmentBatch batch, IReadOnlyList<BatchFailure> failures, ImageOutcomes outcomes)
    {
        var (items, writer) = (batch.Items, batch.Writer);
        failures = BatchRunner.Finish(writer, failures);
        BatchRunner.Announce(writer.Report);
        double? meanAp = batch.Truth is null ? null : PrintScore(writer.Evaluations);
        int exit = BatchRunner.Report(failures, items.Count);
        if (s.Json)
            StandardOutput.WriteJson(outcomes.Summarise("segment", writer, items.Select(i => (i.ImagePath, i.ImagePath, i.Id)).ToList(),
                batch.All.Except(items).Select(i => (i.ImagePath, i.Id)).ToList(), failures, exit, meanAp));
        return exit;
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
}
