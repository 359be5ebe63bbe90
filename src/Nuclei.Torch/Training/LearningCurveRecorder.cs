namespace Nuclei.Torch.Training;

/// <summary>Redraws OUT/learning_curve.png after every epoch.</summary>
internal sealed class LearningCurveRecorder(string path) : ITrainingRecorder
{
    public void EpochDone(EpochRecord record, IReadOnlyList<EpochRecord> history) => LearningCurvePlot.Write(path, history);
}
