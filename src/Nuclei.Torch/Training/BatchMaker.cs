using System.Diagnostics;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Training;

/// <summary>
/// Builds batch <c>i</c> of epoch <c>e</c>: the items at positions [i·B, (i+1)·B) of the epoch order, each
/// augmented with its own Random seeded by (seed, epoch, position) — so a batch depends on nothing but its
/// indices, whichever worker thread makes it — normalised, with targets derived from the augmented labels.
/// </summary>
internal sealed class BatchMaker
{
    readonly IReadOnlyList<TrainingItem> _items;
    readonly AugmentationPipeline _augment;
    readonly Normalization _normalize;
    readonly ITrainingTargets _targets;
    readonly int _batchSize, _seed;
    readonly bool _keepLabels;

    /// <param name="keepLabels">keep each crop's augmented label map in the batch (for a detector)</param>
    public BatchMaker(IReadOnlyList<TrainingItem> items, AugmentationPipeline augment, Normalization normalize, ITrainingTargets targets, int batchSize, int seed,
        bool keepLabels = false)
    {
        if (!augment.Options.Crop) throw new ArgumentException("training batches need a fixed crop size ([pre] crop = True)");
        _items = items; _augment = augment; _normalize = normalize; _targets = targets; _batchSize = batchSize; _seed = seed; _keepLabels = keepLabels;
    }

    public int BatchesPerEpoch(int epochLength) => epochLength / _batchSize;   // the last partial batch is dropped

    public TrainingBatch Make(int[] epochOrder, int epoch, int batchIndex)
    {
        var sw = Stopwatch.StartNew();
        int size = _augment.Options.CropSize, n = _batchSize, heads = _targets.HeadCount, plane = size * size;
        var images = new float[n * 3 * plane];
        var targets = new float[n * heads * plane];
        var weights = _targets.HasWeights ? new float[n * heads * plane] : null;
        var ids = new string[n];
        var labels = _keepLabels ? new LabelImage[n] : null;
        for (int j = 0; j < n; j++)
        {
            int position = batchIndex * n + j;
            var item = _items[epochOrder[position]];
            ids[j] = item.Id;
            var rng = new Random(SeedMix.Of(_seed, epoch, position + 1));
            var (img, lab) = _augment.Apply(item.Image, item.Labels, rng);
            _normalize.ToPlanar(img, images, j * 3 * plane);
            _targets.Build(lab, targets, j * heads * plane, weights, j * heads * plane);
            if (labels is not null) labels[j] = lab;
        }
        return new TrainingBatch(images, targets, weights, n, 3, heads, size, size, sw.Elapsed.TotalSeconds, ids) { Labels = labels };
    }
}
