using System.Globalization;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Training;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// Self-training on unlabelled images (`nuclei adapt`): pseudo-labels the model agrees with itself on
/// (<see cref="ViewConsensus"/>), a few minutes of fine-tuning from its weights on them (<see cref="Trainer"/>), the
/// post-processing thresholds re-chosen on agreement with those pseudo-labels (<see cref="PartitionTuning"/>), and the
/// adapted checkpoint written only when it is measurably more self-consistent than the original (<see cref="AdaptationGuard"/>),
/// with a record of what it was adapted to. With <see cref="AdaptationMethod.BatchNorm"/> the fine-tuning is replaced by
/// re-estimating the batch-norm statistics on the images (<see cref="BatchNormRecalibration"/>); with
/// <see cref="AdaptationMethod.Both"/> that comes first and the self-training starts from it. Work files live in a
/// hidden folder beside the output, removed at the end.
/// </summary>
internal static class ModelAdaptation
{
    /// <param name="observer">the fine-tuning run's messages and progress</param>
    /// <param name="say">the adaptation's own progress lines</param>
    /// <exception cref="NucleiInputException">bad options, an unreadable model, no images</exception>
    /// <exception cref="AdaptationRefusedException">the adapted model would be worse, or nothing could be learnt; nothing written</exception>
    public static AdaptationResult Run(AdaptationOptions o, ITrainingObserver observer, Action<string>? say = null)
    {
        say ??= _ => { };
        Check(o);
        var source = Checkpoint.ReadInfo(o.ModelPath);
        string dir = Path.GetDirectoryName(Path.GetFullPath(o.OutPath))!;
        Directory.CreateDirectory(dir);
        string work = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(o.OutPath)}.adapt-{Guid.NewGuid():N}");
        try
        {
            var failures = new Dictionary<string, string>(StringComparer.Ordinal);
            bool fineTune = o.Method != AdaptationMethod.BatchNorm, recalibrate = o.Method != AdaptationMethod.FineTune;
            // With recalibration the original's self-consistency is the bar, and the pseudo-labels (to train on and to
            // choose thresholds by) come from the recalibrated model.
            var original = recalibrate ? PseudoLabel(o, o.ModelPath, null, failures, say) : null;
            string start = recalibrate ? Recalibrate(o, work, say) : o.ModelPath;
            var labels = PseudoLabel(o, start, fineTune ? Path.Combine(work, "data") : null, failures, say);
            var trainable = labels.Where(l => l.Trainable(o.MinKeptShare)).ToList();
            double before = (original ?? labels).Average(l => l.Agreement);
            int nucleiBefore = (original ?? labels).Sum(l => l.PlainCount), kept = trainable.Sum(l => l.KeptCount);
            say(Invariant($"pseudo-labels: kept {labels.Sum(l => l.KeptCount)} of {labels.Sum(l => l.Found)} nuclei (confidence >= {o.Confidence}, IoU with the plain view >= {o.MinIou}); {trainable.Count} of {labels.Count} image(s) to train on; self-consistency before {before:0.0000}"));
            if (trainable.Count == 0)
                throw new AdaptationRefusedException($"{o.OutPath}: not written: no image kept confident, stable nuclei (at least {o.MinKeptShare:P0} of its own) to learn from");

            string adapted = fineTune ? FineTune(o, start, source, work, trainable.Count, observer, say) : start;
            o.AfterFineTune?.Invoke(adapted);
            using var views = TwoViewModel.Load(adapted);
            var plainMaps = PlainViews(views, trainable);
            var tuned = Tune(views.Partition, trainable, plainMaps, say);
            var (afterEach, nucleiAfter) = Agreement(views, labels, plainMaps, tuned.Options);
            double after = afterEach.Average();
            // paired by image: the original's agreement on each image the adapted model is scored on
            var originalOf = (original ?? labels).ToDictionary(l => l.Image.Id, StringComparer.Ordinal);
            var beforeEach = labels.Select(l => originalOf[l.Image.Id].Agreement).ToList();
            var (gain, twoSe) = AdaptationGuard.GainAndTwoStandardErrors(beforeEach, afterEach);
            say(Invariant($"self-consistency (mean AP of plain vs TTA segmentation): before {before:0.0000}, after {after:0.0000} (gain {gain:0.0000}{(twoSe is double se ? Invariant($" ± {se:0.0000}, two standard errors") : "")}); nuclei found {nucleiBefore} -> {nucleiAfter}"));
            if (AdaptationGuard.Refusal(beforeEach, afterEach, nucleiBefore, nucleiAfter) is string why)
                throw new AdaptationRefusedException($"{o.OutPath}: not written: {why}");
            if (after < before && AdaptationGuard.RevivedFromCollapse(nucleiBefore, nucleiAfter, labels.Count) is string revived)
                say("note: written although self-consistency fell: " + revived);

            var record = new AdaptationRecord(DateTime.UtcNow, Path.GetFileName(o.ModelPath), o.Images.Count, trainable.Count, kept,
                ImageSetIdentity.Source(o.Images), ImageSetIdentity.IdsSha256(o.Images), fineTune ? o.Minutes : 0, Math.Round(before, 4), Math.Round(after, 4),
                AdaptationMethods.NameOf(o.Method));
            Write(adapted, o.OutPath, tuned.Options, source, record);
            return new AdaptationResult(Path.GetFullPath(o.OutPath), record, tuned.Options, tuned.MeanAp, failures);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    static void Check(AdaptationOptions o)
    {
        static void Require(bool ok, string? path, string what) { if (!ok) throw new NucleiInputException(path, what); }
        string outFull = Path.GetFullPath(o.OutPath);
        Require(outFull != Path.GetFullPath(o.ModelPath), o.OutPath, "--out must not be the input model (inputs are never overwritten)");
        Require(string.Equals(Path.GetExtension(o.OutPath), Checkpoint.Extension, StringComparison.OrdinalIgnoreCase), o.OutPath, $"--out must be a checkpoint file ({Checkpoint.Extension})");
        Require(o.Images.All(i => Path.GetFullPath(i.ImagePath) != outFull), o.OutPath, "--out is one of the images (inputs are never overwritten)");
        Require(o.Images.Count > 0, null, "no images to adapt to");
        Require(double.IsFinite(o.Minutes) && o.Minutes > 0, null, Invariant($"--minutes must be positive, got {o.Minutes}"));
        Require(o.Confidence is >= 0 and <= 1 && o.MinIou is >= 0 and <= 1 && o.MinKeptShare is >= 0 and <= 1, null,
            "confidence, IoU and kept share must be between 0 and 1");
    }

    /// <summary>
    /// Pseudo-labels every readable image with the model at <paramref name="modelPath"/>; writes the trainable ones as a
    /// DSB-layout set in <paramref name="dataDir"/> (when given).
    /// </summary>
    static List<ViewPseudoLabel> PseudoLabel(AdaptationOptions o, string modelPath, string? dataDir, Dictionary<string, string> failures, Action<string> say)
    {
        using var views = TwoViewModel.Load(modelPath);
        var labels = new List<ViewPseudoLabel>();
        foreach (var item in o.Images)
        {
            if (Read(item, failures, say) is not { } image) continue;
            var plain = TwoViewModel.Segment(views.PredictPlain(image, item.ImagePath), views.Partition);
            var ttaMaps = views.PredictTta(image, item.ImagePath);
            var tta = TwoViewModel.Segment(ttaMaps, views.Partition);
            var label = ViewConsensus.Label(item, tta, ttaMaps.Get(HeadProbabilities.Semantic)!, plain, o.Confidence, o.MinIou);
            if (dataDir is not null && label.Trainable(o.MinKeptShare))   // the file itself, so training reads it exactly as segment does
                SampleWriter.Write(dataDir, item.Id, item.Id + Path.GetExtension(item.ImagePath), to => File.Copy(item.ImagePath, to), label.Kept, dsbLayout: true);
            labels.Add(label);
        }
        if (labels.Count == 0)
            throw new AdaptationRefusedException($"{o.OutPath}: not written: none of the {o.Images.Count} image(s) could be read");
        return labels;
    }

    /// <summary>The image, or null with the reason recorded (the adaptation goes on with the others).</summary>
    static FloatImage? Read(InputImage item, Dictionary<string, string> failures, Action<string> say)
    {
        try
        {
            item.ThrowIfUnreadable();
            // One plane only: the file is copied into the training set, so a stack is refused here, not cut down.
            return MultiPlaneImage.Read(item, PlaneChoice.Default, m => say("warning: " + m));
        }
        catch (NucleiInputException e)
        {
            failures[item.ImagePath] = e.Message;
            say($"warning: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The original model with its batch-norm statistics re-estimated on the readable images
    /// (<see cref="BatchNormRecalibration"/>), saved in the work folder; returns its path.
    /// </summary>
    static string Recalibrate(AdaptationOptions o, string work, Action<string> say)
    {
        var loaded = Checkpoint.Load(o.ModelPath);
        using var net = loaded.Net;
        var normalization = CheckpointModels.NormalizationOf(new CheckpointSettings(loaded.Info.Configuration, o.ModelPath));
        var images = o.Images.Select(item => Read(item, new Dictionary<string, string>(), _ => { })).OfType<FloatImage>();
        var (layers, seen) = BatchNormRecalibration.Recalibrate(net, normalization, images);
        say($"batch-norm statistics of {layers} layer(s) re-estimated on {seen} image(s)");
        Directory.CreateDirectory(work);
        string path = Path.Combine(work, "recalibrated" + Checkpoint.Extension);
        Checkpoint.Save(path, net, loaded.Info with { OptimizerState = null, RandomState = null, SavedUtc = default });
        return path;
    }

    /// <summary>Fine-tunes <paramref name="modelPath"/> on the pseudo-labelled set for the time budget; returns the checkpoint it ends with.</summary>
    static string FineTune(AdaptationOptions o, string modelPath, CheckpointSummary source, string work, int images, ITrainingObserver observer, Action<string> say)
    {
        var config = AdaptationConfiguration.Build(modelPath, source, o, images);
        say(Invariant($"fine-tuning for {o.Minutes} minute(s): learning rate {o.LearningRate}, encoder x{o.EncoderLrRatio}"));
        var result = Trainer.Run(new TrainingRequest(Path.Combine(work, "data"), Path.Combine(work, "run"), config, ResumeMode.Fresh), new FineTuneObserver(observer));
        say($"fine-tuned {result.LastEpoch} epoch(s)");
        return result.BestCheckpoint ?? result.CurrentCheckpoint
            ?? throw new InvalidOperationException("the fine-tuning run wrote no checkpoint");
    }

    /// <summary>The post-processing thresholds under which the adapted model's plain segmentation agrees best with the pseudo-labels.</summary>
    /// <summary>The adapted model's plain-view maps of the images and their kinds, by image id: predicted once, for tuning and agreement.</summary>
    static Dictionary<string, (HeadProbabilities Maps, string Kind)> PlainViews(TwoViewModel views, IReadOnlyList<ViewPseudoLabel> labels)
    {
        var result = new Dictionary<string, (HeadProbabilities, string)>(StringComparer.Ordinal);
        foreach (var l in labels)
        {
            var image = MultiPlaneImage.Read(l.Image, PlaneChoice.Default);
            result[l.Image.Id] = (views.PredictPlain(image, l.Image.ImagePath), ImageKind.Of(image));
        }
        return result;
    }

    /// <param name="plainMaps">the adapted model's plain-view maps of <paramref name="trainable"/> (<see cref="PlainViews"/>)</param>
    static TuningScore Tune(PartitionOptions start, IReadOnlyList<ViewPseudoLabel> trainable, Dictionary<string, (HeadProbabilities Maps, string Kind)> plainMaps, Action<string> say)
    {
        var images = new List<TuningImage>();
        foreach (var l in trainable)
        {
            var (maps, kind) = plainMaps[l.Image.Id];
            images.Add(new TuningImage(maps.Get(HeadProbabilities.Semantic)!, maps.Get(HeadProbabilities.Contour), maps.Get(HeadProbabilities.Marker),
                l.Kept, kind) { Ignored = l.Ignored });
        }
        var best = PartitionTuning.Tune(images, start);
        say(Invariant($"thresholds: body {best.Options.ThresholdBody}, contour {best.Options.ThresholdContour}, marker {best.Options.ThresholdMarker}, min size {best.Options.MinSize} (mean AP against the pseudo-labels {best.MeanAp:0.0000})"));
        return best;
    }

    /// <summary>Each image's agreement of the plain and TTA segmentations (in the order of <paramref name="labels"/>), and the nuclei of the plain ones.</summary>
    /// <param name="plainMaps">plain-view maps already predicted (the images trained on), not predicted again</param>
    static (List<double> Agreements, int Nuclei) Agreement(TwoViewModel views, IReadOnlyList<ViewPseudoLabel> labels,
        Dictionary<string, (HeadProbabilities Maps, string Kind)> plainMaps, PartitionOptions options)
    {
        var agreements = new List<double>(labels.Count);
        int nuclei = 0;
        foreach (var l in labels)
        {
            var image = MultiPlaneImage.Read(l.Image, PlaneChoice.Default);
            var plain = TwoViewModel.Segment(plainMaps.TryGetValue(l.Image.Id, out var known) ? known.Maps : views.PredictPlain(image, l.Image.ImagePath), options);
            var tta = TwoViewModel.Segment(views.PredictTta(image, l.Image.ImagePath), options);
            agreements.Add(Nuclei.Core.Metrics.ViewAgreement.Of(plain, tta));
            nuclei += plain.MaxLabel();
        }
        return (agreements, nuclei);
    }

    /// <summary>The adapted weights with the chosen thresholds, the original's adaptation history and this adaptation's record.</summary>
    static void Write(string adapted, string outPath, PartitionOptions partition, CheckpointSummary source, AdaptationRecord record)
    {
        var loaded = Checkpoint.Load(adapted);
        using var net = loaded.Net;
        Checkpoint.Save(outPath, net, loaded.Info with
        {
            Configuration = TunedSettings.Apply(loaded.Info.Configuration, partition),
            Adaptations = [.. source.Info.Adaptations ?? [], record],
            OptimizerState = null, RandomState = null, SavedUtc = default,
        });
    }

    static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
