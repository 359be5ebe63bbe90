using Nuclei.Core.Configuration;

namespace Nuclei.Torch.Training;

/// <summary>
/// How a run treats an output folder that holds a run: Auto refuses it (a new folder starts a new run), Resume continues
/// from its current checkpoint, Fresh (--overwrite) moves its files aside and starts afresh.
/// </summary>
internal enum ResumeMode { Auto, Resume, Fresh }

/// <summary>What `nuclei train` asks for.</summary>
internal sealed record TrainingRequest(string DataDir, string OutDir, NucleiConfiguration Config, ResumeMode Resume = ResumeMode.Auto)
{
    /// <summary>Stop after this many epochs of this invocation (tests: "1 epoch then resume"); null = to n_epoch.</summary>
    public int? StopAfterEpochs { get; init; }
    /// <summary>Called with the temporary checkpoint path just before it is renamed into place (fault injection in tests).</summary>
    public Action<string>? BeforeCheckpointCommit { get; init; }
    /// <summary>Changes batch (epoch, step index) before its step (fault injection in tests: NaN in an input).</summary>
    public Func<int, int, TrainingBatch, TrainingBatch>? BatchFault { get; init; }
}

/// <summary>The outcome of a run.</summary>
internal sealed record TrainingResult(int LastEpoch, string? CurrentCheckpoint, string? BestCheckpoint, double? BestMeanAp, IReadOnlyList<EpochRecord> Epochs)
{
    /// <summary>Steps skipped for a non-finite loss or gradient (the weights never saw them).</summary>
    public int SkippedSteps { get; init; }
}

/// <summary>`nuclei train`: one <see cref="TrainingRun"/>, from checks and set-up to the last checkpoint, then disposed.</summary>
internal static class Trainer
{
    public static TrainingResult Run(TrainingRequest request, ITrainingObserver observer)
    {
        using var run = TrainingRun.Open(request, observer);
        return run.Train();
    }
}
