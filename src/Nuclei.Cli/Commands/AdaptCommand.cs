using System.CommandLine;
using Nuclei.Cli.Terminal;
using Nuclei.Core.Data;
using Nuclei.Torch.Adaptation;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Training;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei adapt IMAGES... --model M.nck --out M2.nck [--minutes N] [--seed S] [--json]`: self-training on the user's
/// unlabelled images (<see cref="ModelAdaptation"/>). M2 is written only when it is at least as self-consistent as M.
/// </summary>
internal static class AdaptCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("IMAGES") { Description = "unlabelled images: files, folders, or DSB-layout folders (their masks are ignored)", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string>("--model") { Description = "the checkpoint to adapt (or an ensemble description of one member)", Required = true };
        var outPath = new Option<string>("--out") { Description = "the adapted checkpoint to write (.nck; never the input)", Required = true };
        var method = new Option<string>("--method") { Description = "fine-tune (self-training on the confident nuclei), batch-norm (only the network's normalisation statistics re-estimated on the images: seconds, no training) or both (the statistics first, then self-training)", DefaultValueFactory = _ => "fine-tune" };
        method.AcceptOnlyFromAmong([.. AdaptationMethods.Names]);
        var minutes = new Option<double>("--minutes") { Description = "minutes of fine-tuning", DefaultValueFactory = _ => 5 };
        var seed = SeedOption.Create("the fine-tuning run's sampling and augmentation");
        var confidence = new Option<double>("--confidence") { Description = "keep a nucleus whose mean body probability (TTA) reaches this ...", DefaultValueFactory = _ => 0.7 };
        var minIou = new Option<double>("--min-iou") { Description = "... and which the plain segmentation matches with at least this IoU", DefaultValueFactory = _ => 0.7 };
        var json = JsonSummary.Option();
        var command = new Command("adapt", "Self-train a model on your unlabelled images: fine-tune on the nuclei it finds confidently in both the plain and the TTA view, re-choose its thresholds, and write it only if it is not less self-consistent (else exit 1, nothing written)");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { model, outPath, method, minutes, seed, confidence, minIou, json }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(inputs)!, parse.GetValue(model)!, parse.GetValue(outPath)!, AdaptationMethods.Parse(parse.GetValue(method)!), parse.GetValue(minutes),
            parse.GetValue(seed), parse.GetValue(confidence), parse.GetValue(minIou), parse.GetValue(json)));
        return command;
    }

    /// <summary>What `adapt --json` writes.</summary>
    public sealed record AdaptSummary(string Model, string? Out, bool Written, int Images, int ImagesTrained, int NucleiKept, double? AgreementBefore,
        double? AgreementAfter, double Minutes, float? Threshold, float? ThresholdEdge, float? ThresholdMark, int? MinObjectSize,
        IReadOnlyDictionary<string, string> Failed, string? Error, int ExitCode);

    static int Run(string[] inputs, string modelArgument, string outPath, AdaptationMethod method, double minutes, int seed, double confidence, double minIou, bool json)
    {
        if (json) StandardOutput.BeginJson();
        string modelPath = ModelReference.Single(modelArgument, "adapt");
        var images = InputCollector.Collect(inputs);
        var options = new AdaptationOptions(modelPath, images, outPath) { Method = method, Minutes = minutes, Seed = seed, Confidence = confidence, MinIou = minIou };
        AdaptationResult result;
        try
        {
            result = ModelAdaptation.Run(options, new QuietTrainingObserver(), Messages.Info);
        }
        catch (Exception e) when (e is AdaptationRefusedException or TrainingFailedException)
        {
            Messages.Error(e.Message);
            if (json) StandardOutput.WriteJson(new AdaptSummary(modelPath, null, false, images.Count, 0, 0, null, null, minutes, null, null, null, null,
                new Dictionary<string, string>(), e.Message, CommandLine.SomeFailed));
            return CommandLine.SomeFailed;
        }
        var r = result.Record;
        var p = result.Partition;
        Console.WriteLine(FormattableString.Invariant($"before: self-consistency {r.AgreementBefore:0.0000}"));
        Console.WriteLine(FormattableString.Invariant($"after:  self-consistency {r.AgreementAfter:0.0000}"));
        Console.WriteLine(FormattableString.Invariant($"adapted -> {result.OutPath}: {r.ImagesTrained} of {r.Images} image(s), {r.NucleiKept} nuclei, {r.Minutes} minute(s); threshold={p.ThresholdBody} threshold_edge={p.ThresholdContour} threshold_mark={p.ThresholdMarker} min_object_size={p.MinSize}"));
        foreach (var (_, why) in result.Failures) Messages.Error(why);
        int exit = result.Failures.Count > 0 ? CommandLine.SomeFailed : CommandLine.Done;
        if (json)
            StandardOutput.WriteJson(new AdaptSummary(modelPath, result.OutPath, true, r.Images, r.ImagesTrained, r.NucleiKept, r.AgreementBefore, r.AgreementAfter,
                r.Minutes, p.ThresholdBody, p.ThresholdContour, p.ThresholdMarker, p.MinSize, result.Failures, null, exit));
        return exit;
    }

    /// <summary>The fine-tuning run's lines with --verbose only; its warnings always.</summary>
    sealed class QuietTrainingObserver : ITrainingObserver
    {
        public void Info(string message) => Messages.Detail(message);
        public void Warning(string message) => Messages.Warning(message);
        public void Step(StepReport report, bool print) { }
        public void EpochDone(EpochRecord record)
        {
            var text = new StringWriter();
            new PlainTrainingObserver(text).EpochDone(record);
            Messages.Detail(text.ToString().TrimEnd());
        }
    }
}
