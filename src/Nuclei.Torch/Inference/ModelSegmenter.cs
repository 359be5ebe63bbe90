using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Core.Settings;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Image → nuclei with a trained model (or ensemble): per-head probability maps from the <see cref="Predictor"/>,
/// then <see cref="Partition.Run"/> turns body/contour/marker maps into separate nuclei. With a <see cref="Diameter"/>
/// the image is first rescaled so that its nuclei have the model's training diameter, segmented at that scale, and the
/// labels are mapped back to the original pixel grid (nearest neighbour). A diameter in pixels always rescales, by the
/// training diameter over it; --diameter auto measures the nuclei in a first pass and leaves those of sizes the model
/// learned (<see cref="LearnedDiameters"/>) at the image's own scale, as it does when that pass is not fit to measure
/// by (<see cref="AutoDiameterTrust"/>).
/// </summary>
internal sealed class ModelSegmenter : IDisposable
{
    public Predictor Predictor { get; }
    public PartitionOptions Partition { get; }

    /// <summary>The nucleus diameter of the images (null: no rescaling).</summary>
    public Diameter? Diameter { get; init; }

    /// <summary>The nucleus diameters the models learned (from the first checkpoint), needed by <see cref="Diameter"/>.</summary>
    public LearnedDiameters? ModelDiameters { get; init; }

    /// <summary>
    /// A mixed ensemble's detector, whose nuclei split the dense models' merged ones (<see cref="DetectorSplit"/>); it runs
    /// once per image at the dense models' scale (no test-time augmentation). Disposed with this segmenter.
    /// </summary>
    public InferenceModel? Splitter { get; init; }

    public ModelSegmenter(Predictor predictor, PartitionOptions partition)
    {
        if (predictor.Heads.All(h => !h.Equals(HeadProbabilities.Semantic, StringComparison.OrdinalIgnoreCase)))
            throw new NucleiInputException(predictor.Models[0].Source,
                $"model has no semantic (body) head (heads: {string.Join(", ", predictor.Heads)}); segmentation needs one");
        if (predictor.Models.Count > 1 && predictor.Models.Any(m => m.Detector is not null))
            throw new NucleiInputException(predictor.Models.First(m => m.Detector is not null).Source, "a detector model cannot be part of an ensemble");
        partition.Validate();
        Predictor = predictor;
        Partition = partition;
    }

    public LabelImage Segment(FloatImage image, string? source = null) => Segment(image, source, out _);

    /// <summary>Labels of <paramref name="image"/>; also returns the probability maps they came from (at the image's size).</summary>
    /// <param name="wholeImage">when <paramref name="image"/> is a block of a larger image: that image (see <see cref="Predictor.Predict"/>)</param>
    /// <param name="progress">cancellation and fraction done, over every pass (see <see cref="InferenceProgress"/>)</param>
    public LabelImage Segment(FloatImage image, string? source, out HeadProbabilities maps, WholeImage? wholeImage = null, InferenceProgress? progress = null) =>
        Segment(image, source, out maps, out _, wholeImage, progress);

    /// <summary>As the other overload; also returns the scale the image was segmented at.</summary>
    public LabelImage Segment(FloatImage image, string? source, out HeadProbabilities maps, out ImageScale scale,
        WholeImage? wholeImage = null, InferenceProgress? progress = null)
    {
        progress ??= InferenceProgress.None;
        scale = ImageScale.Native;
        if (Diameter is null) return SegmentAtScale(image, 1.0, source, out maps, wholeImage, progress);
        var model = ModelDiametersOrRefuse();
        if (Diameter.Pixels is double px)
        {
            scale = new ImageScale(px, ScaleMatching.Given(model.Median, px));
            return SegmentAtScale(image, scale.Factor, source, out maps, wholeImage, progress);
        }

        // auto: a first pass at the image's own scale measures the nuclei; the image is segmented again at the matching
        // scale, and measured again there (the first estimate is biased when the model sees nuclei at the wrong size),
        // until the factor settles. A first pass not fit to measure by keeps the image at its own scale.
        // Progress counts every possible pass; passes not needed are skipped over.
        double factor = 1.0;
        var labels = SegmentAtScale(image, factor, source, out maps, wholeImage, progress.Part(0, 1 + AutoRefinements));
        double? found = NucleusSize.MedianDiameter(labels);
        if (AutoDiameterTrust.Doubt(labels, found, maps.Get(HeadProbabilities.Semantic)) is { } doubt)
        {
            scale = new ImageScale(null, 1.0, doubt);
            progress.Report(1);
            return labels;
        }
        for (int pass = 0; pass < AutoRefinements && found is double d; pass++)
        {
            double next = ScaleMatching.Factor(model, d);
            if (ScaleMatching.Close(next, factor)) break;
            factor = next;
            labels = SegmentAtScale(image, factor, source, out maps, wholeImage, progress.Part(1 + pass, 1 + AutoRefinements));
            found = NucleusSize.MedianDiameter(labels) ?? found;
        }
        scale = new ImageScale(found, factor);
        progress.Report(1);
        return labels;
    }

    /// <summary>
    /// The probability maps alone, at the image's size, for a caller that post-processes them itself (several times):
    /// at the scale <see cref="Diameter"/> asks for, without partitioning, except where the scale depends on the nuclei
    /// found (auto) and for a detector, whose maps come with its nuclei.
    /// </summary>
    public HeadProbabilities PredictMaps(FloatImage image, string? source = null, InferenceProgress? progress = null)
    {
        progress ??= InferenceProgress.None;
        if (Predictor.Models[0].Detector is not null || Diameter is { Pixels: null })
        {
            Segment(image, source, out var found, progress: progress);
            return found;
        }
        double factor = Diameter is null ? 1.0 : ScaleMatching.Given(ModelDiametersOrRefuse().Median, Diameter.Pixels!.Value);
        var (h, w) = Resampling.ScaledSize(image.Height, image.Width, factor);
        var scaled = Resampling.Resize(image, h, w);
        return BackToSize(Predictor.Predict(scaled, source, null, progress), scaled, image);
    }

    /// <summary>Maps predicted on <paramref name="scaled"/>, at <paramref name="image"/>'s size.</summary>
    static HeadProbabilities BackToSize(HeadProbabilities maps, FloatImage scaled, FloatImage image) => ReferenceEquals(scaled, image) ? maps
        : new HeadProbabilities(maps.Heads, maps.Maps.Select(m => Resampling.Resize(m, image.Height, image.Width)).ToList());

    LearnedDiameters ModelDiametersOrRefuse() => ModelDiameters ??
        throw new NucleiInputException(Predictor.Models[0].Source, $"{Setting.Diameter} needs the model's training diameter, which this checkpoint does not record (retrain, or segment without {Setting.Diameter})");

    /// <summary>Passes after the first one that --diameter auto may take to settle the scale.</summary>
    public const int AutoRefinements = 2;

    /// <summary>The image resized by <paramref name="factor"/>, predicted and partitioned there; labels and maps back at the image's size.</summary>
    private LabelImage SegmentAtScale(FloatImage image, double factor, string? source, out HeadProbabilities maps, WholeImage? wholeImage, InferenceProgress progress)
    {
        var (h, w) = Resampling.ScaledSize(image.Height, image.Width, factor);
        var scaled = Resampling.Resize(image, h, w);
        var (labels, scaledMaps) = Predictor.Models[0].Detector is null
            ? PartitionAtScale(scaled, source, wholeImage?.Scaled(factor, h, w), progress)
            : DetectAtScale(scaled, progress);
        maps = BackToSize(scaledMaps, scaled, image);
        return Resampling.Resize(labels, image.Height, image.Width);
    }

    /// <summary>The dense models' head maps, partitioned into nuclei.</summary>
    private (LabelImage, HeadProbabilities) PartitionAtScale(FloatImage scaled, string? source, WholeImage? wholeImage, InferenceProgress progress)
    {
        var maps = Predictor.Predict(scaled, source, wholeImage, progress);
        var labels = Core.PostProcessing.Partition.Run(maps.Get(HeadProbabilities.Semantic)!,
            maps.Get(HeadProbabilities.Contour), maps.Get(HeadProbabilities.Marker), Partition);
        if (Splitter is not null) labels = DetectorSplit.Apply(labels, DetectorSegmentation.Segment(Splitter, scaled).Labels, Partition.MinSize);
        return (labels, maps);
    }

    /// <summary>A detector's nuclei (one pass over the whole image; no test-time augmentation), with its foreground map.</summary>
    private (LabelImage, HeadProbabilities) DetectAtScale(FloatImage scaled, InferenceProgress progress)
    {
        progress.ThrowIfCancelled();
        var (labels, foreground) = DetectorSegmentation.Segment(Predictor.Models[0], scaled);
        progress.Report(1);
        return (labels, new HeadProbabilities([HeadProbabilities.Semantic], [foreground]));
    }

    public void Dispose()
    {
        Predictor.Dispose();
        Splitter?.Dispose();
    }
}
