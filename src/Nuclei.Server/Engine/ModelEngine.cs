using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;

namespace Nuclei.Server.Engine;

/// <summary>
/// <see cref="ISegmentationEngine"/> over the model of a <see cref="NucleiSegmenter"/>, the library entry point <c>nuclei segment</c> uses:
/// the predictor's maps, then <see cref="Partition.Run"/> with the segmenter's options and the page's thresholds, which
/// is what <see cref="ModelSegmenter.Segment(FloatImage, string?)"/> does without a diameter.
/// </summary>
public sealed class ModelEngine : ISegmentationEngine, IDisposable
{
    readonly NucleiSegmenter owner;
    readonly ModelSegmenter segmenter;

    /// <param name="loaded">owned (disposed with this engine); a network (not the classical method) that does not rescale (no diameter)</param>
    public ModelEngine(NucleiSegmenter loaded)
    {
        segmenter = loaded.Model ?? throw new ArgumentException("the server segments with a network, not the classical method");
        if (segmenter.Diameter is not null) throw new ArgumentException("the server segments at the image's own scale (no diameter)");
        owner = loaded;
        Description = loaded.Description;
        var p = segmenter.Partition;
        Defaults = new Thresholds(p.ThresholdBody, p.ThresholdContour, p.ThresholdMarker, p.MinSize);
    }

    public string Description { get; }
    public Thresholds Defaults { get; }

    public PredictedMaps Predict(FloatImage image)
    {
        var maps = segmenter.Predictor.Predict(image);
        return new PredictedMaps(maps.Get(HeadProbabilities.Semantic)!, maps.Get(HeadProbabilities.Contour), maps.Get(HeadProbabilities.Marker));
    }

    public LabelImage PostProcess(PredictedMaps maps, Thresholds thresholds)
    {
        thresholds.Validate();
        var options = segmenter.Partition with
        {
            ThresholdBody = thresholds.Body, ThresholdContour = thresholds.Contour, ThresholdMarker = thresholds.Marker, MinSize = thresholds.MinSize,
        };
        return Partition.Run(maps.Body, maps.Contour, maps.Marker, options);
    }

    public void Dispose() => owner.Dispose();
}
