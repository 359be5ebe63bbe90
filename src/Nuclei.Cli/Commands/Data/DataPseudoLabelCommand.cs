using System.CommandLine;
using System.Globalization;
using Nuclei.Cli.Batch;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Data.PseudoLabels;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Torch.Inference;

namespace Nuclei.Cli.Commands.Data;

/// <summary>
/// `nuclei data pseudo-label UNLABELLED... --out OUT [--model M ...] [--tta] [--confidence 0.8]`: labels new images with a
/// model or ensemble, keeps the nuclei the model is sure of, and writes a DSB-layout set (plus pseudo-labels.csv).
/// </summary>
internal static class DataPseudoLabelCommand
{
    public const string CsvName = "pseudo-labels.csv";

    public static Command Create()
    {
        var inputs = new Argument<string[]>("UNLABELLED") { Description = "images: files, folders, or DSB-layout folders (their masks are ignored)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "new DSB-layout folder (<id>/images, <id>/masks) and pseudo-labels.csv", Required = true };
        var models = new Option<string[]>("--model") { Description = "checkpoint or ensemble description (.nens); repeat for an ensemble. Default: the bundled model", AllowMultipleArgumentsPerToken = false };
        var tta = new Option<bool>("--tta") { Description = "average the 8 flips/rotations" };
        var confidence = new Option<double>("--confidence") { Description = "keep nuclei whose mean body probability reaches this", DefaultValueFactory = _ => 0.8 };
        var minSize = new Option<int?>("--min-object-size") { Description = "[post] min_object_size: drop nuclei with fewer pixels; default from the model's configuration" };

        var command = new Command("pseudo-label", "Label unannotated images with a model or ensemble, keep the confident nuclei, write a DSB-layout training set.");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, models, tta, confidence, minSize }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(inputs)!, parse.GetValue(output)!, parse.GetValue(models) ?? Array.Empty<string>(),
            parse.GetValue(tta), parse.GetValue(confidence), parse.GetValue(minSize)));
        return command;
    }

    static int Run(string[] inputs, string outDir, string[] models, bool tta, double threshold, int? minSize)
    {
        if (threshold is < 0 or > 1) throw new NucleiInputException(null, $"--confidence must be between 0 and 1, got {threshold}");
        StagingFolder.RequireNew(outDir);
        var items = InputCollector.Collect(inputs);
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions
        {
            Models = models, Tta = tta, PostProcessing = new PostProcessingSettings { MinObjectSize = minSize },
        });
        var rows = new PseudoLabelRow?[items.Count];
        var failures = StagingFolder.Build(outDir, staging =>
        {
            var index = items.Select((item, k) => (item, k)).ToList();
            var warnings = new BatchWarnings();
            var failures = BatchRunner.Run(index, x => x.item.ImagePath, x =>
            {
                x.item.ThrowIfUnreadable();
                // The image file itself is copied into the set, so a multi-channel or z-stack file is refused, not cut down.
                var image = MultiPlaneImage.Read(x.item, PlaneChoice.Default, warnings.Add);
                var result = segmenter.Segment(image, x.item.ImagePath);
                var labels = result.Labels;
                var scores = NucleusConfidence.Of(labels, result.Maps!.Get(HeadProbabilities.Semantic)!);
                var kept = NucleusConfidence.KeepConfident(labels, scores, threshold);
                int found = labels.MaxLabel(), keep = kept.MaxLabel();
                if (keep > 0)
                    SampleWriter.Write(staging, x.item.Id, x.item.Id + Path.GetExtension(x.item.ImagePath), to => File.Copy(x.item.ImagePath, to), kept, dsbLayout: true);
                double mean = found == 0 ? 0 : scores.Skip(1).Take(found).Average();
                rows[x.k] = new PseudoLabelRow(x.item.Id, found, keep, Math.Round(mean, 4));
            }, "pseudo-labelling");
            warnings.Print();
            CsvTable.Write(Path.Combine(staging, CsvName), ["image_id", "nuclei_found", "nuclei_kept", "mean_confidence", "written"],
                rows.OfType<PseudoLabelRow>().Select(r => new object?[] { r.Id, r.Found, r.Kept, r.MeanConfidence, r.Written ? "yes" : "no" }));
            return failures;
        });
        var done = rows.OfType<PseudoLabelRow>().ToList();
        Console.WriteLine($"pseudo-labelled {done.Count} of {items.Count} image(s): kept {done.Sum(r => r.Kept)} of " +
            $"{done.Sum(r => r.Found)} nuclei (confidence >= {threshold.ToString(CultureInfo.InvariantCulture)}), " +
            $"{done.Count(r => r.Written)} image(s) written -> {outDir}");
        return BatchRunner.Report(failures, items.Count);
    }
}

/// <summary>One row of pseudo-labels.csv: nuclei the model found in an image and those it was sure enough of to keep.</summary>
sealed record PseudoLabelRow(string Id, int Found, int Kept, double MeanConfidence)
{
    public bool Written => Kept > 0;
}
