namespace Nuclei.Torch.Training;

/// <summary>Where the trainer reports: the CLI shows these as a progress display or plain lines.</summary>
internal interface ITrainingObserver
{
    void Info(string message);
    void Warning(string message);
    /// <summary>Called for each step; <paramref name="print"/> is true every print_freq steps (samuelschen/DSB2018's progress line).</summary>
    void Step(StepReport report, bool print);
    void EpochDone(EpochRecord record);
}

/// <summary>One training step as samuelschen/DSB2018 printed it: times of this step (and its input wait), loss and IoU, batch and epoch mean.</summary>
internal sealed record StepReport(int Epoch, int Step, int StepsInEpoch, double StepSeconds, double InputSeconds, double Loss, double LossMean, double Iou, double IouMean)
{
    public string ProgressLine() =>
        FormattableString.Invariant($"Epoch: [{Epoch}][{Step}/{StepsInEpoch}]\tTime: {StepSeconds:0.000} (io: {InputSeconds:0.000})\tLoss: {Loss:0.0000} ({LossMean:0.0000})")
        + (double.IsNaN(IouMean) ? "" : FormattableString.Invariant($"\tIoU: {Iou:0.000} ({IouMean:0.000})"));
}

/// <summary>Writes everything as plain lines to a TextWriter (redirected output, logs, tests).</summary>
internal sealed class PlainTrainingObserver(TextWriter output) : ITrainingObserver
{
    public void Info(string message) { output.WriteLine(message); output.Flush(); }
    public void Warning(string message) { output.WriteLine("warning: " + message); output.Flush(); }
    public void Step(StepReport report, bool print) { if (print) { output.WriteLine(report.ProgressLine()); output.Flush(); } }
    public void EpochDone(EpochRecord r)
    {
        output.WriteLine(FormattableString.Invariant(
            $"Epoch {r.Epoch} done: {r.EpochSeconds:0.0} s, {r.ImagesPerSecond:0.00} images/s, input {100 * r.InputShare:0.0}% of step time, ")
            + (double.IsNaN(r.Loss) ? "no step finished (every one was skipped)" : FormattableString.Invariant($"loss {r.Loss:0.0000}"))
            + (double.IsNaN(r.Iou) ? "" : FormattableString.Invariant($", IoU {r.Iou:0.000}"))
            + FormattableString.Invariant($", lr {r.LearningRate:0.######}")
            + (r.ValidKindMeanAp is double m ? FormattableString.Invariant($", valid mean AP over kinds {m:0.0000}, valid IoU {r.ValidIou:0.000}") : ""));
        output.Flush();
    }
}
