namespace Nuclei.Torch.Training;

/// <summary>The outputs of a training run, registered in one place, each told of every event in this order.</summary>
internal sealed class TrainingRecorders : ITrainingRecorder, IDisposable
{
    readonly IReadOnlyList<ITrainingRecorder> _all;

    TrainingRecorders(IReadOnlyList<ITrainingRecorder> all) => _all = all;

    /// <param name="log">OUT/log.csv, already trimmed to the epoch the run resumes from.</param>
    public static TrainingRecorders Create(RunFolder folder, TrainingCsvLog log, ITrainingObserver observer, TrainingOptions opt) =>
        new(new ITrainingRecorder[]
        {
            log,
            new ProgressRecorder(observer, opt.PrintFrequency),
            new TensorBoardRecorder(folder.TensorBoard),
            new LearningCurveRecorder(folder.LearningCurve),
        });

    public void StepDone(StepReport report, long updates) { foreach (var r in _all) r.StepDone(report, updates); }

    public void ValidationDone(ValidationReport report) { foreach (var r in _all) r.ValidationDone(report); }

    public void EpochDone(EpochRecord record, IReadOnlyList<EpochRecord> history) { foreach (var r in _all) r.EpochDone(record, history); }

    public void Dispose() { foreach (var r in _all.OfType<IDisposable>()) r.Dispose(); }
}
