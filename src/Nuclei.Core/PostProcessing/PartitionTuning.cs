using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Core.PostProcessing;

/// <summary>One validation image for <see cref="PartitionTuning"/>: its probability maps, its true nuclei and its kind.</summary>
internal sealed record TuningImage(FloatImage Body, FloatImage? Contour, FloatImage? Marker, LabelImage Truth, string Kind)
{
    /// <summary>
    /// Pixels whose truth is unknown (pseudo-labels: nuclei dropped as unsure), or null: a predicted nucleus lying mostly
    /// on them is left out of the score instead of counting as a false positive.
    /// </summary>
    public bool[]? Ignored { get; init; }
}

/// <summary>A tuning result: the options and their mean AP over all images, per kind, and the mean over kinds.</summary>
internal sealed record TuningScore(PartitionOptions Options, double MeanAp, IReadOnlyDictionary<string, double> ByKind)
{
    public double Balanced => KindMean.Of(ByKind.Values, MeanAp);
}

/// <summary>
/// Chooses the post-processing thresholds (body, contour, marker) and the minimum object size that maximise the mean AP
/// over kinds of image on validation maps, as StarDist's optimize_thresholds does for its probability and NMS
/// thresholds. Coordinate ascent over fixed grids, a few rounds: each round tries every value of one setting with the
/// others held, and keeps the best; ties keep the current value. The maps are predicted once by the caller.
/// </summary>
internal static class PartitionTuning
{
    public static readonly float[] Thresholds = [0.3f, 0.4f, 0.5f, 0.6f, 0.7f];
    public static readonly int[] MinSizes = [0, 5, 10, 20, 40, 80];

    public static TuningScore Tune(IReadOnlyList<TuningImage> images, PartitionOptions start, int rounds = 2, Action<TuningScore>? progress = null)
    {
        if (images.Count == 0) throw new ArgumentException("no validation images to tune on");
        var best = Score(images, start);
        progress?.Invoke(best);
        bool hasContour = images.All(i => i.Contour is not null), hasMarker = images.All(i => i.Marker is not null);
        var settings = new List<Func<PartitionOptions, IEnumerable<PartitionOptions>>>
        {
            o => Thresholds.Select(t => o with { ThresholdBody = t }),
            o => MinSizes.Select(m => o with { MinSize = m }),
        };
        if (hasContour) settings.Add(o => Thresholds.Select(t => o with { ThresholdContour = t }));
        if (hasMarker) settings.Add(o => Thresholds.Select(t => o with { ThresholdMarker = t }));
        for (int round = 0; round < rounds; round++)
        {
            var before = best.Options;
            foreach (var candidates in settings)
                foreach (var option in candidates(best.Options))
                {
                    if (option == best.Options) continue;
                    var score = Score(images, option);
                    if (score.Balanced > best.Balanced + 1e-9) { best = score; progress?.Invoke(best); }
                }
            if (best.Options == before) break;
        }
        return best;
    }

    /// <summary>Mean AP of <paramref name="options"/> over the images (in parallel), overall and per kind.</summary>
    public static TuningScore Score(IReadOnlyList<TuningImage> images, PartitionOptions options)
    {
        var ap = new double[images.Count];
        Parallel.For(0, images.Count, i =>
        {
            var im = images[i];
            var pred = Partition.Run(im.Body, im.Contour, im.Marker, options);
            if (im.Ignored is { } ignored) pred = IgnoredPixels.DropCovered(pred, ignored);
            ap[i] = DsbMetric.Score(im.Truth, pred).MeanAp;
        });
        var byKind = Enumerable.Range(0, images.Count).GroupBy(i => images[i].Kind)
            .ToDictionary(g => g.Key, g => g.Average(i => ap[i]));
        return new TuningScore(options, ap.Average(), byKind);
    }
}
