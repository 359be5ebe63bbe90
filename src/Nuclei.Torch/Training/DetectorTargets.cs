using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Training;

/// <summary>
/// A detector's batches carry no dense targets: it takes each crop's augmented label map itself
/// (<see cref="TrainingBatch.Labels"/>) and builds its boxes and masks from it.
/// </summary>
internal sealed class DetectorTargets : ITrainingTargets
{
    public int HeadCount => 0;

    public bool HasWeights => false;

    public void Build(LabelImage labels, float[] targets, int targetOffset, float[]? weights, int weightOffset) { }
}
