using Nuclei.Core.Imaging;
using System.Diagnostics;
using Nuclei.Core;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Data;

namespace Nuclei.Torch.Training;

/// <summary>
/// The images a run trains and validates on, loaded into memory and checked before any training: the split (written
/// to OUT/split.csv), a fixed subset for validation, validation images cropped to at most [valid] max_size, and the
/// pseudo-labelled images of [dataset] pseudo_data (training only).
/// </summary>
internal sealed record TrainingSets(IReadOnlyList<TrainingItem> Train, IReadOnlyList<TrainingItem> Valid)
{
    /// <summary>Pseudo-labelled images mixed into training (<see cref="TrainingMix"/>); empty without [dataset] pseudo_data.</summary>
    public IReadOnlyList<TrainingItem> Pseudo { get; init; } = [];

    /// <summary>The validation images as files (read again whole where a measurement must not see <see cref="Valid"/>'s crops).</summary>
    public IReadOnlyList<AnnotatedSample> ValidSamples { get; init; } = [];

    public static TrainingSets Load(TrainingRequest request, TrainingOptions opt, string outDir, ITrainingObserver observer)
    {
        var config = request.Config;
        string csvPath = config.GetString("dataset", "csv_file").Trim();
        DatasetCsv? csv = csvPath.Length > 0 ? DatasetCsv.Load(csvPath) : null;
        var split = TrainingData.Choose(request.DataDir, config, csv);
        observer.Info("Data: " + split.Description);
        TrainingData.WriteSplit(Path.Combine(outDir, "split.csv"), split);
        int minObject = config.GetInt("pre", "min_object_size");
        string groupBy = config.GetString("dataset", "group_by").Trim();
        var loadTime = Stopwatch.StartNew();
        var train = TrainingData.Load(split.Train, csv, groupBy, minObject, observer.Warning);
        var validSamples = SubsetForValidation(split.Valid, opt.ValidMaxImages, config.GetInt("dataset", "cv_seed"));
        var valid = TrainingData.Load(validSamples, csv, groupBy, minObject, observer.Warning);
        if (train.Count == 0)
            throw new NucleiInputException(request.DataDir, "no training images left (after the validation split, CSV filters and skipped samples)");
        if (train.Count < opt.BatchSize && opt.EpochSize > 0 && opt.EpochSize < opt.BatchSize)
            throw new NucleiInputException(request.DataDir, $"{train.Count} training images and [train] epoch_size {opt.EpochSize} make less than one batch of {opt.BatchSize} (lower n_batch, or raise epoch_size)");
        if (valid.Count == 0) WithoutValidation(request, split, observer);
        if (opt.ValidMaxSize > 0) valid = valid.Select(v => CentreCrop(v, opt.ValidMaxSize)).ToList();
        var pseudo = LoadPseudo(config.GetString("dataset", "pseudo_data").Trim(), split.Valid, minObject, observer);
        observer.Info(FormattableString.Invariant($"Loaded {train.Count} training, {valid.Count} validation and {pseudo.Count} pseudo-labelled images in {loadTime.Elapsed.TotalSeconds:0.0} s"));
        return new TrainingSets(train, valid) { Pseudo = pseudo, ValidSamples = validSamples };
    }

    /// <summary>[dataset] pseudo_data's images; none of them may be a validation image (the score would flatter the model).</summary>
    static List<TrainingItem> LoadPseudo(string dir, IReadOnlyList<AnnotatedSample> valid, int minObject, ITrainingObserver observer)
    {
        if (dir.Length == 0) return [];
        var samples = DsbDataset.Scan(dir).Samples;
        var validIds = valid.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        if (samples.FirstOrDefault(s => validIds.Contains(s.Id)) is { } leak)
            throw new NucleiInputException(leak.ImagePath, "[dataset] pseudo_data holds a validation image (validation stays on real annotations only)");
        var pseudo = TrainingData.Load(samples, csv: null, groupColumn: "", minObject, observer.Warning);
        if (pseudo.Count == 0) throw new NucleiInputException(dir, "[dataset] pseudo_data holds no labelled image");
        return pseudo;
    }

    /// <summary>
    /// No validation image: an error when the user asked for validation, else a warning that best.nck will be the last
    /// epoch's weights (the run saves it so, as the model to use is always OUT/best.nck).
    /// </summary>
    static void WithoutValidation(TrainingRequest request, TrainingData.Split split, ITrainingObserver observer)
    {
        if (TrainingData.ValidationAskedBy(request.DataDir, request.Config) is string asked)
            throw new NucleiInputException(request.DataDir,
                $"0 validation images although validation was asked for ({asked}; {split.Description}): give more images, or [dataset] cv_ratio = 0 to train without validation");
        observer.Warning($"0 validation images ({split.Description}): nothing is validated, and best.nck will be the last epoch's weights");
    }

    /// <summary>Median equivalent-circle diameter (px) of the nuclei in the training labels; null when they hold none.</summary>
    public double? MedianDiameter() => NucleusSize.MedianDiameter(Train.Select(t => t.Labels));

    /// <summary>"12 fluorescence, 3 brightfield": the training images by kind.</summary>
    public string DescribeKinds() =>
        string.Join(", ", Train.GroupBy(t => t.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>A fixed subset for validation during training (the same images every time), or all when max is 0.</summary>
    static IReadOnlyList<AnnotatedSample> SubsetForValidation(IReadOnlyList<AnnotatedSample> valid, int max, int seed)
    {
        if (max <= 0 || valid.Count <= max) return valid;
        var arr = valid.ToArray();
        new Random(seed + 1).Shuffle(arr);
        return arr.Take(max).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    static TrainingItem CentreCrop(TrainingItem item, int max)
    {
        int h = Math.Min(item.Image.Height, max), w = Math.Min(item.Image.Width, max);
        if (h == item.Image.Height && w == item.Image.Width) return item;
        int top = (item.Image.Height - h) / 2, left = (item.Image.Width - w) / 2;
        return item with { Image = Geometry.Crop(item.Image, top, left, h, w), Labels = Geometry.Crop(item.Labels, top, left, h, w) };
    }
}
