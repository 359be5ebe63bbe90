using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Training;

/// <summary>
/// Scores a network on held-out images the way the competition does: each image is segmented by the very
/// <see cref="ModelSegmenter"/> (and so <see cref="Predictor"/>) `nuclei segment` uses, with `segment`'s default
/// prediction options and the normalisation and post-processing read from the training configuration by the readers
/// `segment` applies to a checkpoint's — what is validated is what ships. Each image's labels are scored by the DSB
/// mean AP (<see cref="DsbMetric"/>); also the pixel IoU of the semantic head at 0.5.
/// </summary>
internal sealed class Validator
{
    readonly IReadOnlyList<TrainingItem> _items;
    readonly CheckpointSettings _settings;
    readonly PartitionOptions _partition;

    /// <param name="settings">The training configuration as the checkpoints will carry it (<see cref="SavedConfiguration.Settings"/>).</param>
    public Validator(IReadOnlyList<TrainingItem> items, CheckpointSettings settings)
    {
        _items = items;
        _settings = settings;
        _partition = CheckpointModels.PartitionOptionsOf(settings);
        try { _partition.Validate(); }
        catch (ArgumentException e) { throw new NucleiInputException("configuration", e.Message); }
    }

    /// <summary>What `segment` would do with this network: no test-time augmentation, whole images (auto size mode).</summary>
    public static PredictionOptions Prediction { get; } = new();

    public int Count => _items.Count;

    /// <summary>
    /// Mean AP and pixel IoU over the images, and mean AP per kind of image; an image that fails is reported through
    /// <paramref name="warn"/> and left out (training goes on).
    /// </summary>
    public ValidationScore Score(SegmentationNet net, Action<string>? warn = null)
    {
        if (_items.Count == 0) return ValidationScore.None;
        return InEvalMode(net, segmenter =>
        {
            var scores = new List<(string Kind, double Ap, double Iou)>();
            foreach (var item in _items)
            {
                try
                {
                    var labels = segmenter.Segment(item.Image, item.Id, out var maps);
                    scores.Add((item.Kind, DsbMetric.Score(item.Labels, labels).MeanAp, PixelIou(maps.Get(HeadProbabilities.Semantic)!, item.Labels)));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    warn?.Invoke($"validation image {item.Id} not scored: {e.Message}");
                }
            }
            return ValidationScore.Of(scores);
        });
    }

    /// <summary>The nuclei validation finds in <paramref name="image"/>: those `segment` would find with this network.</summary>
    public LabelImage Segment(SegmentationNet net, FloatImage image) => InEvalMode(net, segmenter => segmenter.Segment(image));

    /// <summary>Runs <paramref name="use"/> with a segmenter over <paramref name="net"/> in eval mode, then restores its mode.</summary>
    T InEvalMode<T>(SegmentationNet net, Func<ModelSegmenter, T> use)
    {
        bool wasTraining = net.training;
        bool frozenBatchNorm = wasTraining && net.modules().Any(m => m is TorchSharp.Modules.BatchNorm && !m.training);
        net.eval();
        try
        {
            var model = CheckpointModels.FromNetwork(net, _settings, "the network in training", ownsNetwork: false);
            using var segmenter = new ModelSegmenter(new Predictor(new[] { model }, Prediction), _partition);
            return use(segmenter);
        }
        finally { if (wasTraining) TrainingMode.Set(net, frozenBatchNorm); }
    }

    static double PixelIou(FloatImage body, LabelImage truth)
    {
        long inter = 0, union = 0;
        for (int i = 0; i < truth.Data.Length; i++)
        {
            bool p = body.Data[i] > 0.5f, t = truth.Data[i] > 0;
            if (p && t) inter++;
            if (p || t) union++;
        }
        return union == 0 ? 1.0 : inter / (double)union;
    }
}
