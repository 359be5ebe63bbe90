using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Image → nuclei with a trained model (or ensemble): per-head probability maps from the <see cref="Predictor"/>,
/// then <see cref="Partition.Run"/> turns body/contour/marker maps into separate nuclei.
/// </summary>
public sealed class ModelSegmenter : IDisposable
{
    public Predictor Predictor { get; }
    public PartitionOptions Partition { get; }

    public ModelSegmenter(Predictor predictor, PartitionOptions partition)
    {
        if (predictor.Heads.All(h => !h.Equals(HeadProbabilities.Semantic, StringComparison.OrdinalIgnoreCase)))
            throw new NucleiInputException(predictor.Models[0].Source,
                $"model has no semantic (body) head (heads: {string.Join(", ", predictor.Heads)}); segmentation needs one");
        partition.Validate();
        Predictor = predictor;
        Partition = partition;
    }

    public LabelImage Segment(FloatImage image, string? source = null) => Segment(image, source, out _);

    /// <summary>Labels of <paramref name="image"/>; also returns the probability maps they came from.</summary>
    public LabelImage Segment(FloatImage image, string? source, out HeadProbabilities maps)
    {
        maps = Predictor.Predict(image, source);
        return Core.PostProcessing.Partition.Run(maps.Get(HeadProbabilities.Semantic)!,
            maps.Get(HeadProbabilities.Contour), maps.Get(HeadProbabilities.Marker), Partition);
    }

    public void Dispose() => Predictor.Dispose();
}
