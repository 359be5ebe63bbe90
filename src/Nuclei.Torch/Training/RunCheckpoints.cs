using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Training;

/// <summary>
/// Writes a run's checkpoints: OUT/best (weights only: the model to ship, not to resume, so it stays small) when
/// validation improves, and OUT/ckpt-N with the optimizer's and trainer's state, which OUT/current.json then names.
/// </summary>
internal sealed class RunCheckpoints(RunFolder folder, SegmentationNet net, TrainingOptimizer optimizer, Action<string>? beforeCommit, string? resumedFrom)
{
    /// <summary>The latest resumable checkpoint.</summary>
    public string? Current { get; private set; } = resumedFrom;

    public string? Best { get; private set; } = File.Exists(folder.BestCheckpoint) ? folder.BestCheckpoint : null;

    public void SaveBest(CheckpointInfo info)
    {
        Best = folder.BestCheckpoint;
        Checkpoint.Save(Best, net, info);
    }

    public void SaveResumable(CheckpointInfo info, TrainerState state)
    {
        string path = folder.EpochCheckpoint(info.Epoch);
        var full = info with { OptimizerState = optimizer.SaveState(), RandomState = state.ToBytes() };
        if (beforeCommit is null) Checkpoint.Save(path, net, full);
        else SaveThrough(beforeCommit, path, full);
        CheckpointPointer.Write(folder.Dir, path, info.Epoch);
        Current = path;
    }

    /// <summary>Fault injection: write to a temporary name, call the hook (which may kill us), then rename.</summary>
    void SaveThrough(Action<string> hook, string path, CheckpointInfo info)
    {
        string tmp = path + ".partial";
        Checkpoint.Save(tmp, net, info);
        hook(tmp);
        Nuclei.Core.IO.FolderSync.Move(tmp, path);
    }
}
