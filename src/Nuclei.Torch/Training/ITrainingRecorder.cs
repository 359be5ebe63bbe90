namespace Nuclei.Torch.Training;

/// <summary>
/// One output of a training run (progress display, OUT/log.csv, TensorBoard, learning-curve plot): it is told of each
/// step, validation and finished epoch, and implements the events it uses. Registered in <see cref="TrainingRecorders"/>.
/// </summary>
internal interface ITrainingRecorder
{
    /// <param name="updates">Optimizer updates since the start of the run, this step's included.</param>
    void StepDone(StepReport report, long updates) { }

    void ValidationDone(ValidationReport report) { }

    /// <param name="history">Every epoch of the run so far (those before a resume included), this one last.</param>
    void EpochDone(EpochRecord record, IReadOnlyList<EpochRecord> history) { }
}

/// <summary>One validation: its epoch, the optimizer updates done, the score, how many images and how long it took.</summary>
internal sealed record ValidationReport(int Epoch, long Updates, ValidationScore Score, int Images, double Seconds);
