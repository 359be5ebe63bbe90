namespace Nuclei.Torch.Training;

/// <summary>Passes a run's events to the caller's <see cref="ITrainingObserver"/> (the CLI's progress display or plain lines).</summary>
internal sealed class ProgressRecorder(ITrainingObserver observer, int printFrequency) : ITrainingRecorder
{
    public void StepDone(StepReport report, long updates) =>
        observer.Step(report, report.Step % printFrequency == 0 || report.Step == report.StepsInEpoch - 1);

    public void ValidationDone(ValidationReport r)
    {
        var s = r.Score;
        observer.Info(FormattableString.Invariant(
            $"Validation at epoch {r.Epoch}: instance mean AP {s.MeanAp:0.0000} (by kind: {s.Describe()}; balanced {s.Balanced:0.0000}), pixel IoU {s.PixelIou:0.000} on {r.Images} images ({r.Seconds:0.0} s)"));
    }

    public void EpochDone(EpochRecord record, IReadOnlyList<EpochRecord> history) => observer.EpochDone(record);
}
