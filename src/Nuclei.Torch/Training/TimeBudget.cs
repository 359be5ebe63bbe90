namespace Nuclei.Torch.Training;

/// <summary>
/// [train] time_budget_minutes (0 = none): the wall time of training and validation, summed over resumes, after which
/// the run ends with the epoch in progress; with a budget, the learning-rate schedule runs on the share of it spent.
/// </summary>
internal sealed record TimeBudget(double Minutes, int Epochs)
{
    public double Seconds => Minutes * 60;

    public bool IsSet => Seconds > 0;

    public bool SpentAt(double elapsedSeconds) => IsSet && elapsedSeconds >= Seconds;

    /// <summary>Position in the run, in epochs: by the share of the budget spent, or (no budget) by optimizer updates.</summary>
    public double Position(double elapsedSeconds, long updates, int updatesPerEpoch) => IsSet
        ? Math.Min(1, elapsedSeconds / Seconds) * Epochs
        : updates / (double)Math.Max(1, updatesPerEpoch);
}
