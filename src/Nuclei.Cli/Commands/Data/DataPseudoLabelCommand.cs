using System.CommandLine;
using System.Globalization;
using System.Text;
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
public static class DataPseudoLabelCommand
{
    public const string CsvName = "pseudo-labels.csv";

    public static Command Create()
    {
        var inputs = new Argument<string[]>("UNLABELLED") { Description = "images: files, folders, or DSB-layout folders (their masks are ignored)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "new DSB-layout folder (<id>/images, <id>/masks) and pseudo-labels.csv", Required = true };
        var models = new Option<string[]>("--model") { Description = "checkpoint; repeat for an ensemble. Default: the bundled model", AllowMultipleArgumentsPerToken = false };
        var tta = new Option<bool>("--tta") { Description = "average the 8 flips/rotations" };
        var confidence = new Option<double>("--confidence") { Description = "keep nuclei whose mean body probability reaches this", DefaultValueFactory = _ => 0.8 };
        var minSize = new Option<int?>("--min-size") { Description = "drop nuclei with fewer pixels; default from the model's configuration" };

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
        var settings = new SegmentCommand.SegmentSettings(inputs, outDir, Csv: null, Method: "model", Models: models, Weights: null, Tta: tta,
            Policy: null, Mode: "auto", Border: "reflect", TileSize: 512, TileOverlap: 64, ThresholdBody: null, ThresholdContour: null,
            ThresholdMarker: null, MinSize: minSize);
        using var segmenter = SegmentCommand.CreateModelSegmenter(settings, policy: null);
        var rows = new string?[items.Count];
        var failures = StagingFolder.Build(outDir, staging =>
        {
            var index = items.Select((item, k) => (item, k)).ToList();
            var warnings = new BatchWarnings();
            var failures = BatchRunner.Run(index, x => x.item.ImagePath, x =>
            {
                // The image file itself is copied into the set, so a multi-channel or z-stack file is refused, not cut down.
                var image = MultiPlaneImage.Read(x.item, PlaneChoice.Default, warnings.Add);
                var labels = segmenter.Segment(image, x.item.ImagePath, out var maps);
                var scores = NucleusConfidence.Of(labels, maps.Get(HeadProbabilities.Semantic)!);
                var kept = NucleusConfidence.KeepConfident(labels, scores, threshold);
                int found = labels.MaxLabel(), keep = kept.MaxLabel();
                if (keep > 0)
                    SampleWriter.Write(staging, x.item.Id, x.item.Id + Path.GetExtension(x.item.ImagePath), to => File.Copy(x.item.ImagePath, to), kept, dsbLayout: true);
                double mean = found == 0 ? 0 : scores.Skip(1).Take(found).Average();
                rows[x.k] = string.Create(CultureInfo.InvariantCulture, $"{x.item.Id},{found},{keep},{mean:F4},{(keep > 0 ? "yes" : "no")}");
            }, "pseudo-labelling");
            warnings.Print();
            var csv = new StringBuilder("image_id,nuclei_found,nuclei_kept,mean_confidence,written\n");
            foreach (string? r in rows) if (r is not null) csv.Append(r).Append('\n');
            AtomicFile.WriteAllText(Path.Combine(staging, CsvName), csv.ToString());
            return failures;
        });
        var done = rows.Where(r => r is not null).Select(r => r!.Split(',')).ToList();
        Console.WriteLine($"pseudo-labelled {done.Count} of {items.Count} image(s): kept {done.Sum(r => int.Parse(r[2], CultureInfo.InvariantCulture))} of " +
            $"{done.Sum(r => int.Parse(r[1], CultureInfo.InvariantCulture))} nuclei (confidence >= {threshold.ToString(CultureInfo.InvariantCulture)}), " +
            $"{done.Count(r => r[4] == "yes")} image(s) written -> {outDir}");
        return BatchRunner.Report(failures, items.Count);
    }
}
