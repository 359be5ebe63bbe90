using TorchSharp;
using TorchSharp.Modules;

namespace Nuclei.Torch.Training;

/// <summary>
/// Writes a run's scalars to OUT/tensorboard: loss per step, validation scores, and per-epoch means. TorchSharp's
/// SummaryWriter keeps only file names and opens the event file for each write, so there is nothing to dispose.
/// </summary>
internal sealed class TensorBoardRecorder(string dir) : ITrainingRecorder
{
    readonly SummaryWriter _writer = torch.utils.tensorboard.SummaryWriter(dir);

    public void StepDone(StepReport report, long updates) => Add("train/loss", report.Loss, updates);

    public void ValidationDone(ValidationReport r)
    {
        Add("valid/mean_ap", r.Score.MeanAp, r.Updates);
        Add("valid/balanced_mean_ap", r.Score.Balanced, r.Updates);
        foreach (var (kind, ap) in r.Score.ByKind) Add("valid/mean_ap_" + kind, ap, r.Updates);
        Add("valid/pixel_iou", r.Score.PixelIou, r.Updates);
    }

    public void EpochDone(EpochRecord r, IReadOnlyList<EpochRecord> history)
    {
        Add("train/epoch_loss", r.Loss, r.Epoch);
        Add("train/epoch_iou", r.Iou, r.Epoch);
        Add("train/images_per_s", r.ImagesPerSecond, r.Epoch);
        Add("train/lr", r.LearningRate, r.Epoch);
    }

    void Add(string tag, double value, long step) => _writer.add_scalar(tag, (float)value, (int)step, Walltime());

    /// <summary>TensorBoard wall time: Unix seconds (TorchSharp would otherwise store .NET ticks).</summary>
    static long Walltime() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
