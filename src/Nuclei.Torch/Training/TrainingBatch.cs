using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Training;

/// <summary>
/// One prepared mini-batch as flat planar arrays, ready to become tensors: images [N, 3, H, W] (normalised),
/// targets [N, heads, H, W] (0..1), optional pixel weights [N, heads, H, W]; the ids of the images the crops came from.
/// </summary>
internal sealed record TrainingBatch(float[] Images, float[] Targets, float[]? Weights, int Count, int Channels, int Heads, int Height, int Width,
    double PrepareSeconds, IReadOnlyList<string> ImageIds)
{
    /// <summary>The crops' augmented label maps, kept for a detector (which builds its own targets from them); else null.</summary>
    public IReadOnlyList<LabelImage>? Labels { get; init; }
}
