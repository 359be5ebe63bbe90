using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.PostProcessing;
using Nuclei.Core.Settings;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Training;

namespace Nuclei.Torch.Inference;

/// <summary>What to tune: a checkpoint, its annotated images (all, or only those it held out for validation), where the tuned copy goes.</summary>
/// <param name="ValidationOnly">only the images the checkpoint held out for validation (its [dataset] cv_ratio and cv_seed over the data)</param>
/// <param name="Tta">predict with test-time augmentation, as segmenting with it will</param>
internal sealed record TuneRequest(string ModelPath, string DataDir, string OutPath, bool ValidationOnly = false, bool Tta = false);

/// <summary>
/// The work of `nuclei tune` for any front end: reads the checkpoint once, chooses its post-processing on the annotated
/// images with <see cref="CheckpointTuning"/> and writes the tuned copy.
/// </summary>
internal static class Tuner
{
    /// <param name="measuredBy">how the tuning was asked for, recorded in the tuned checkpoint</param>
    /// <param name="predicting">hears how many images are about to be predicted</param>
    /// <param name="scored">hears each candidate's score</param>
    /// <param name="warn">hears a problem with an image that is still used</param>
    public static CheckpointTuningResult Run(TuneRequest request, string measuredBy, Action<int>? predicting = null,
        Action<TuningScore>? scored = null, Action<string>? warn = null)
    {
        if (Path.GetFullPath(request.OutPath) == Path.GetFullPath(request.ModelPath))
            throw new NucleiInputException(request.OutPath, $"{Setting.TunedOut} must not be the input checkpoint (inputs are never overwritten)");
        // One read of the checkpoint: its settings, the network to predict with, and the weights the tuned copy keeps.
        var checkpoint = Checkpoint.Load(request.ModelPath);
        using var net = checkpoint.Net;
        var samples = Samples(request, new CheckpointSettings(checkpoint.Info.Configuration, request.ModelPath));
        predicting?.Invoke(samples.Count);
        var annotated = samples.Select(s =>
        {
            var loaded = DsbDataset.Load(s, warn);
            return new AnnotatedImage(s.ImagePath, loaded.Image, loaded.Labels);
        });
        var tuned = CheckpointTuning.Tune(checkpoint, annotated, request.Tta, progress: scored);
        CheckpointTuning.Save(checkpoint, request.OutPath, tuned, measuredBy);
        return tuned;
    }

    static IReadOnlyList<AnnotatedSample> Samples(TuneRequest request, CheckpointSettings settings)
    {
        var all = DsbDataset.Scan(request.DataDir).Samples.Where(s => s.HasAnnotation).ToList();
        if (request.ValidationOnly)
        {
            double ratio = settings.GetDouble("dataset", "cv_ratio", min: 0, max: 1);
            int seed = settings.GetInt("dataset", "cv_seed");
            all = TrainingData.SeededSplit(all, ratio, seed).Valid;
        }
        if (all.Count == 0) throw new NucleiInputException(request.DataDir, "no annotated images to tune on");
        return all;
    }
}
