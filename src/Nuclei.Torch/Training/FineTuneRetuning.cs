using Nuclei.Core.Data;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;

namespace Nuclei.Torch.Training;

/// <summary>
/// The end of a fine-tuning run ([train] init_from) that has validation images: the post-processing inherited from the
/// source checkpoint was chosen for the source's weights, so the run's best checkpoint is re-tuned on the validation
/// images, whole, as `nuclei tune` does, and rewritten in place with the values and the score they reached.
/// </summary>
internal static class FineTuneRetuning
{
    /// <param name="valid">the validation images, read again from their files: the run validated on centre crops of them
    /// ([valid] max_size), and a score recorded as of whole images must be one</param>
    public static void Run(string bestPath, IReadOnlyList<AnnotatedSample> valid, TrainingRequest request, ITrainingObserver observer)
    {
        observer.Info($"Re-tuning the post-processing of {Path.GetFileName(bestPath)} on the {valid.Count} validation image(s), whole (the thresholds came from the source model)...");
        var checkpoint = Checkpoint.Load(bestPath);
        using var net = checkpoint.Net;
        var whole = valid.Select(s =>
        {
            var loaded = DsbDataset.Load(s, observer.Warning);
            return new AnnotatedImage(s.Id, loaded.Image, loaded.Labels);
        });
        var tuned = CheckpointTuning.Tune(checkpoint, whole, tta: false);
        string measuredBy = $"nuclei train --data {request.DataDir} --out {request.OutDir} with [train] init_from: re-tuned at the end on its validation images";
        CheckpointTuning.Save(checkpoint, bestPath, tuned, measuredBy, keepTrainingState: true);
        observer.Info($"Re-tuned: before {CheckpointTuning.Describe(tuned.Before)}");
        observer.Info($"          after  {CheckpointTuning.Describe(tuned.Best)}");
    }
}
