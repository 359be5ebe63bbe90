using Nuclei.Torch.Training;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// The caller's observer for the fine-tuning run, except that the warning about training without validation images is
/// passed on as information: an adaptation has no labels to validate on, by design, and keeps the last weights.
/// </summary>
sealed class FineTuneObserver(ITrainingObserver inner) : ITrainingObserver
{
    public void Info(string message) => inner.Info(message);

    public void Warning(string message)
    {
        if (message.StartsWith("0 validation images", StringComparison.Ordinal)) inner.Info(message);
        else inner.Warning(message);
    }

    public void Step(StepReport report, bool print) => inner.Step(report, print);

    public void EpochDone(EpochRecord record) => inner.EpochDone(record);
}
