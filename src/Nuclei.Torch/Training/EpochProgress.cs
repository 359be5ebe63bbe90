using System.Diagnostics;

namespace Nuclei.Torch.Training;

/// <summary>What the epoch in progress has done: its clock, loss and IoU means, updates, the learning rate last set.</summary>
internal sealed class EpochProgress(int epoch, long updates)
{
    public int Epoch { get; } = epoch;
    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public RunningAverage Loss { get; } = new();
    public RunningAverage Iou { get; } = new();
    /// <summary>Optimizer updates since the start of the run.</summary>
    public long Updates { get; set; } = updates;
    public int StepsDone { get; set; }
    public double LearningRate { get; set; }
    public bool BudgetSpent { get; set; }
    /// <summary>Ids of the images whose crops made the gradients summed since the last optimizer update.</summary>
    public List<string> ImagesSinceUpdate { get; } = new();
    /// <summary>Batches with a finite loss whose gradients were summed since the last optimizer update.</summary>
    public int BatchesSinceUpdate { get; set; }

    /// <summary>Training time of the epoch and the part of it spent waiting for batches, set when its steps are done.</summary>
    public double Seconds { get; private set; }
    public double InputWaitSeconds { get; private set; }

    public void StepsFinished(double inputWaitSeconds)
    {
        Seconds = Clock.Elapsed.TotalSeconds;
        InputWaitSeconds = inputWaitSeconds;
    }
}
