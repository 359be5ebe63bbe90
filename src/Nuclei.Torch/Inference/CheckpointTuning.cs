using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Checkpoints;

namespace Nuclei.Torch.Inference;

/// <summary>An annotated whole image to tune on: its name (for messages), pixels and true labels.</summary>
internal sealed record AnnotatedImage(string Name, FloatImage Image, LabelImage Labels);

/// <summary>What tuning a checkpoint found: the score with its own settings, the best settings' score, over how many images.</summary>
internal sealed record CheckpointTuningResult(TuningScore Before, TuningScore Best, int Images);

/// <summary>
/// Chooses a checkpoint's post-processing thresholds and minimum nucleus size on annotated whole images (mean AP
/// averaged over kinds of image) and writes them, with the score they reached, into a copy of the checkpoint. One code
/// path for `nuclei tune` and for the re-tuning at the end of a fine-tuning run.
/// </summary>
internal static class CheckpointTuning
{
    /// <summary>
    /// Predicts each image once with <paramref name="checkpoint"/>'s network (as `segment` would: its normalisation,
    /// diameter and tiling) and searches the post-processing settings on the maps. Images are read one at a time.
    /// </summary>
    public static CheckpointTuningResult Tune(LoadedCheckpoint checkpoint, IEnumerable<AnnotatedImage> annotated, bool tta,
        Action<TuningScore>? progress = null)
    {
        var settings = new CheckpointSettings(checkpoint.Info.Configuration, checkpoint.Path);
        var start = CheckpointModels.PartitionOptionsOf(settings);
        var images = new List<TuningImage>();
        checkpoint.Net.eval();
        using (var model = CheckpointModels.FromNetwork(checkpoint.Net, settings, checkpoint.Path, ownsNetwork: false, checkpoint.Info.MedianDiameter))
        using (var predictor = new Predictor([model], PredictionOptions.WithTta(tta), ownsModels: false))
            foreach (var a in annotated)
            {
                var maps = predictor.Predict(a.Image, a.Name);
                images.Add(new TuningImage(maps.Get(HeadProbabilities.Semantic)!, maps.Get(HeadProbabilities.Contour),
                    maps.Get(HeadProbabilities.Marker), a.Labels, ImageKind.Of(a.Image)));
            }
        if (images.Count == 0) throw new ArgumentException("no annotated images to tune on", nameof(annotated));
        var before = PartitionTuning.Score(images, start);
        var best = PartitionTuning.Tune(images, start, progress: progress);
        return new CheckpointTuningResult(before, best, images.Count);
    }

    /// <summary>
    /// <paramref name="checkpoint"/>'s weights with the tuned values in its saved configuration (the keys `segment` reads)
    /// and the tuned score as its recorded evaluation, written atomically to <paramref name="outPath"/>.
    /// </summary>
    /// <param name="measuredBy">the command that made the measurement, recorded with it</param>
    /// <param name="keepTrainingState">keep the optimizer and random state (a run's own checkpoint re-tuned in place)</param>
    public static void Save(LoadedCheckpoint checkpoint, string outPath, CheckpointTuningResult tuned, string measuredBy, bool keepTrainingState = false)
    {
        var best = tuned.Best;
        var evaluation = new ModelEvaluation
        {
            MeanAp = best.MeanAp,
            ByKind = best.ByKind.ToDictionary(),
            KindMean = best.Balanced,
            Images = tuned.Images,
            Command = measuredBy,
            MeasuredUtc = DateTime.UtcNow,
        };
        Checkpoint.Save(outPath, checkpoint.Net, checkpoint.Info with
        {
            Configuration = TunedSettings.Apply(checkpoint.Info.Configuration, best.Options),
            Evaluation = evaluation,
            OptimizerState = keepTrainingState ? checkpoint.Info.OptimizerState : null,
            RandomState = keepTrainingState ? checkpoint.Info.RandomState : null,
            SavedUtc = keepTrainingState ? checkpoint.Info.SavedUtc : default,
        });
    }

    /// <summary>One line: the settings and what they scored, overall and by kind.</summary>
    public static string Describe(TuningScore s) => FormattableString.Invariant(
        $"body {s.Options.ThresholdBody} contour {s.Options.ThresholdContour} marker {s.Options.ThresholdMarker} min size {s.Options.MinSize}: mean AP {s.MeanAp:0.0000}, balanced {s.Balanced:0.0000} ({string.Join(", ", s.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value:0.0000}"))})");
}
