using System.CommandLine;
using Nuclei.Cli.Terminal;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei tune --model CKPT --data DIR --out TUNED.nck`: chooses the post-processing thresholds and minimum nucleus
/// size that score best on annotated images (mean AP averaged over kinds of image) and writes a copy of the checkpoint
/// with them in its configuration, which `segment` then uses unless the command line overrides them.
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "checkpoint to tune (or an ensemble description of one member)", Required = true };
        var data = new Option<string>("--data") { Description = "annotated images: a DSB-layout folder or <id>.png with <id>.labels.png", Required = true };
        var outPath = new Option<string>("--out") { Description = "the tuned checkpoint to write (never the input)", Required = true };
        var holdout = new Option<bool>("--validation-split") { Description = "tune only on the images the checkpoint held out for validation (its [dataset] cv_ratio and cv_seed over --data)" };
        var tta = new Option<bool>("--tta") { Description = "predict with test-time augmentation (tune for segment --tta)" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = one per core)", DefaultValueFactory = _ => 0 };
        var json = JsonSummary.Option();
        var command = new Command("tune", "Choose post-processing thresholds and minimum size on annotated images; write them into a copy of the checkpoint");
        foreach (var o in new Option[] { model, data, outPath, holdout, tta, threads, json }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(outPath)!,
            parse.GetValue(holdout), parse.GetValue(tta), parse.GetValue(threads), parse.GetValue(json)));
        return command;
    }

    /// <summary>What `tune --json` writes: the scores before and after, and the values written into the tuned checkpoint.</summary>
    public sealed record TuneSummary(string Model, string Out, int Images, double MeanApBefore, double BalancedBefore, double MeanApAfter, double BalancedAfter,
        float Threshold, float ThresholdEdge, float ThresholdMark, int MinObjectSize);

    static int Run(string modelArgument, string dataDir, string outPath, bool holdout, bool tta, int threads, bool json)
    {
        string modelPath = ModelReference.Single(modelArgument, "tune");
        if (json) StandardOutput.BeginJson();
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        string measuredBy = $"nuclei tune --model {modelArgument} --data {dataDir}{(holdout ? " --validation-split" : "")}{(tta ? " --tta" : "")} --out {outPath}";
        var tuned = Tuner.Run(new TuneRequest(modelPath, dataDir, outPath, holdout, tta), measuredBy,
            predicting: n => Messages.Info($"nuclei tune: predicting {n} annotated image(s) with {Path.GetFileName(modelPath)}{(tta ? ", tta" : "")}"),
            scored: s => Messages.Info($"  {Describe(s)}"), warn: Messages.Warning);
        var (before, best) = (tuned.Before, tuned.Best);
        Console.WriteLine($"before: {Describe(before)}");
        Console.WriteLine($"after:  {Describe(best)}");
        Console.WriteLine(FormattableString.Invariant($"threshold={best.Options.ThresholdBody} threshold_edge={best.Options.ThresholdContour} threshold_mark={best.Options.ThresholdMarker} min_object_size={best.Options.MinSize} balanced_mean_ap={best.Balanced:0.0000} images={tuned.Images}"));
        if (json)
            StandardOutput.WriteJson(new TuneSummary(modelPath, outPath, tuned.Images, before.MeanAp, before.Balanced, best.MeanAp, best.Balanced,
                best.Options.ThresholdBody, best.Options.ThresholdContour, best.Options.ThresholdMarker, best.Options.MinSize));
        return CommandLine.Done;
    }

    static string Describe(TuningScore s) => CheckpointTuning.Describe(s);
}
