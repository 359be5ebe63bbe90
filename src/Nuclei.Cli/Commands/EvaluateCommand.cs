using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nuclei.Cli.Terminal;
using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Core.Metrics;
using Nuclei.Core.Report;
using Spectre.Console;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei evaluate --truth T --pred P [--per-image] [--scores FILE]`: the DSB2018 competition score of
/// predictions against truth. T: DSB-layout folder, folder of label maps, or solution CSV; P: folder of label
/// maps (as `nuclei segment` writes), DSB-layout folder or submission CSV. 3D label stacks (multi-page TIFFs) in
/// folders of label maps are scored in 3D and per plane (<see cref="StackEvaluation"/>). Ends with
/// `mean_ap=0.xxxx images=N` (after `mean_ap_3d=… mean_ap_planes=… stacks=N` when there are stacks; that line alone
/// when the truth holds only stacks).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var truth = new Option<string>("--truth")
        {
            Description = "ground truth: DSB-layout folder (<id>/images, <id>/masks), folder of label maps, or solution CSV (ImageId,EncodedPixels,Height,Width). A multi-page TIFF in a folder of label maps (<id>.tif, <id>.labels.tif, <id>.stack.labels.tif) is a 3D label stack, scored against the prediction's <id>.stack.labels.tif (segment --z stitch) in 3D (a nucleus is a label through the planes, IoU over voxels) and per z plane",
            Required = true,
        };
        var pred = new Option<string>("--pred")
        {
            Description = "predictions: folder of label maps (<id>.labels.png as segment writes them, or <id>.png / <id>.tif; 3D stacks as <id>.stack.labels.tif or any multi-page TIFF), DSB-layout folder (<id>/masks, as data convert --to dsb writes it) or submission CSV (ImageId,EncodedPixels)",
            Required = true,
        };
        var perImage = new Option<bool>("--per-image") { Description = "print a table of every image, worst first (3D label stacks are listed in a table of their own: 3D and per-plane mean AP, truth and predicted 3D nuclei)" };
        var scores = new Option<string?>("--scores") { Description = "also write per-image scores to this CSV file (3D label stacks too, each with its 3D scores, its planes and its per-plane mean AP)" };
        var report = new Option<string?>("--report") { Description = "also write an HTML report to this file: scores, precision/recall per IoU threshold, false positives, misses, merges and splits per image, the worst images drawn (pictures in FILE_files/ beside it); 2D images only (refused with 3D label stacks)" };
        var byKind = new Option<bool>("--by-kind") { Description = "also score each kind of image (fluorescence, colour-bright, grey-bright; from the truth folder's images) and their mean; 2D images only (refused with 3D label stacks)" };
        var json = JsonSummary.Option();

        var command = new Command("evaluate", "Score predicted nuclei against ground truth with the DSB2018 metric (mean AP over IoU 0.50..0.95); 3D label stacks (multi-page TIFFs) in 3D and per z plane");
        command.Options.Add(truth);
        command.Options.Add(pred);
        command.Options.Add(perImage);
        command.Options.Add(scores);
        command.Options.Add(byKind);
        command.Options.Add(report);
        command.Options.Add(json);
        command.SetAction(parse => Run(parse.GetValue(truth)!, parse.GetValue(pred)!, parse.GetValue(perImage), parse.GetValue(scores),
            parse.GetValue(byKind), parse.GetValue(report), parse.GetValue(json)));
        return command;
    }

    /// <summary>Scores and prints; bad input (unreadable truth or predictions, ids on one side only) throws, exit 2.</summary>
    static int Run(string truthPath, string predPath, bool perImage, string? scoresPath, bool byKind, string? reportPath, bool json)
    {
        if (json) StandardOutput.BeginJson();
        var clock = Stopwatch.StartNew();
        var result = Evaluation.Run(truthPath, predPath);
        RefuseTwoDimensionalOptions(result, byKind, reportPath);
        // 2D images are printed as always, unless the truth held nothing but 3D stacks
        bool images = result.Images.Count > 0 || result.Stacks.Count == 0;

        var d = result.Dataset;
        if (images)
        {
            if (perImage) PrintPerImage(result);
            PrintThresholds(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"F1@0.5 (all objects) = {d.F1At50:F4}   pixel IoU = {result.Pixels.Iou:F4}   pixel Dice = {result.Pixels.Dice:F4}   ({clock.Elapsed.TotalSeconds:F1} s)"));
        }
        if (result.Stacks.Count > 0) PrintStacks(result.Stacks);

        if (scoresPath is not null) EvaluationScoresCsv.Write(scoresPath, result);
        var kinds = byKind ? KindBreakdown.Of(result, truthPath) : null;
        if (kinds is not null) PrintKinds(kinds);
        if (reportPath is not null)
        {
            EvaluationReport.Write(reportPath, result, truthPath, predPath);
            Messages.Info($"report: {Path.GetFullPath(reportPath)}");
        }
        if (result.Stacks.Count > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mean_ap_3d={result.Stacks.Average(s => s.Volume.MeanAp):F4} mean_ap_planes={result.Stacks.Average(s => s.Planes.MeanAp):F4} stacks={result.Stacks.Count}"));
        if (images) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean_ap={d.MeanAp:F4} images={d.Images}"));
        if (json) StandardOutput.WriteJson(EvaluationJson.Of(result, kinds, clock.Elapsed.TotalSeconds));
        return CommandLine.Done;
    }

    static void PrintKinds(IReadOnlyList<KindScore> kinds)
    {
        foreach (var k in kinds)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kind={k.Kind} mean_ap={k.MeanAp:F4} images={k.Images}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"balanced_mean_ap={KindBreakdown.Balanced(kinds):F4} kinds={kinds.Count}"));
    }

    static void PrintPerImage(Evaluation result)
    {
        var table = new Table().Title("Per image, worst first")
            .AddColumn("image").AddColumn(new TableColumn("mean AP").RightAligned())
            .AddColumn(new TableColumn("AP@0.5").RightAligned()).AddColumn(new TableColumn("truth").RightAligned())
            .AddColumn(new TableColumn("pred").RightAligned()).AddColumn(new TableColumn("pixel IoU").RightAligned());
        foreach (var r in result.Images.OrderBy(r => r.Score.MeanAp).ThenBy(r => r.Id, StringComparer.Ordinal))
            table.AddRow(
                Markup.Escape(r.Id),
                F(r.Score.MeanAp), F(r.Score.PerThreshold[0].Precision),
                r.Score.TrueObjects.ToString(CultureInfo.InvariantCulture), r.Score.PredictedObjects.ToString(CultureInfo.InvariantCulture),
                F(r.Pixels.Iou));
        StandardOutput.Write(table);
    }

    /// <summary>Each stack scored in 3D (nuclei matched by voxel IoU) and per plane (each z plane a 2D image, averaged).</summary>
    static void PrintStacks(IReadOnlyList<StackEvaluation> stacks)
    {
        var table = new Table().Title("3D label stacks: mean AP of 3D nuclei (IoU over voxels) and mean over z planes of the 2D mean AP")
            .AddColumn("stack").AddColumn(new TableColumn("planes").RightAligned())
            .AddColumn(new TableColumn("3D mean AP").RightAligned()).AddColumn(new TableColumn("per-plane mean AP").RightAligned())
            .AddColumn(new TableColumn("truth 3D").RightAligned()).AddColumn(new TableColumn("pred 3D").RightAligned())
            .AddColumn(new TableColumn("voxel IoU").RightAligned());
        foreach (var s in stacks.OrderBy(s => s.Volume.MeanAp).ThenBy(s => s.Id, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(s.Id), s.Depth.ToString(CultureInfo.InvariantCulture), F(s.Volume.MeanAp), F(s.Planes.MeanAp),
                s.Volume.TrueObjects.ToString(CultureInfo.InvariantCulture), s.Volume.PredictedObjects.ToString(CultureInfo.InvariantCulture),
                F(s.Voxels.Iou));
        StandardOutput.Write(table);
    }

    static void PrintThresholds(Evaluation result)
    {
        var table = new Table().Title("Matches per IoU threshold (all images)")
            .AddColumn("IoU >").AddColumn(new TableColumn("TP").RightAligned()).AddColumn(new TableColumn("FP").RightAligned())
            .AddColumn(new TableColumn("FN").RightAligned()).AddColumn(new TableColumn("TP/(TP+FP+FN)").RightAligned());
        foreach (var t in result.Dataset.Totals)
            table.AddRow(t.Threshold.ToString("F2", CultureInfo.InvariantCulture),
                t.TruePositives.ToString(CultureInfo.InvariantCulture), t.FalsePositives.ToString(CultureInfo.InvariantCulture),
                t.FalseNegatives.ToString(CultureInfo.InvariantCulture), F(t.Precision));
        StandardOutput.Write(table);
    }

    /// <summary>
    /// --by-kind and --report read the truth's 2D images and draw them; a 3D stack has neither a kind nor a page of its
    /// own, so with stacks they are refused rather than leaving the stacks out unsaid.
    /// </summary>
    static void RefuseTwoDimensionalOptions(Evaluation result, bool byKind, string? reportPath)
    {
        if (result.Stacks.Count == 0) return;
        string? option = byKind ? "--by-kind" : reportPath is not null ? "--report" : null;
        if (option is null) return;
        string ids = string.Join(", ", result.Stacks.Take(3).Select(s => $"'{s.Id}'")) + (result.Stacks.Count > 3 ? ", …" : "");
        throw new NucleiInputException(null,
            $"{option} covers 2D images only, and the truth holds {result.Stacks.Count} 3D label stack(s) ({ids}): leave {option} out (the stacks are scored in 3D and per plane without it)");
    }

    static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
