using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Training;

/// <summary>Turns an (augmented) label map into per-head training targets and optional pixel weights.</summary>
internal interface ITrainingTargets
{
    int HeadCount { get; }

    bool HasWeights { get; }

    /// <summary>Writes targets [heads, H, W] at <paramref name="targetOffset"/> and, when <see cref="HasWeights"/>, weights [heads, H, W] at <paramref name="weightOffset"/>.</summary>
    void Build(LabelImage labels, float[] targets, int targetOffset, float[]? weights, int weightOffset);
}
