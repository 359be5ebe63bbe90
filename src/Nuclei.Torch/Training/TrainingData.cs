using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Training;

/// <summary>
/// Chooses the training and validation images and decodes them once into memory.
/// Either --data has train/ and valid/ folders (used as given) or one folder is split with a fixed seed
/// (cv_ratio, cv_seed): the split is drawn over all images before any CSV filter, so changing filters or
/// balancing never moves an image between the two sides. Bad samples (no masks, masks of another size,
/// unreadable files) are skipped with a warning naming them.
/// </summary>
internal static class TrainingData
{
    public sealed record Split(IReadOnlyList<AnnotatedSample> Train, IReadOnlyList<AnnotatedSample> Valid, string Description);

    public static Split Choose(string dataDir, NucleiConfiguration config, DatasetCsv? csv)
    {
        string trainDir = Path.Combine(dataDir, "train"), validDir = Path.Combine(dataDir, "valid");
        IReadOnlyList<AnnotatedSample> train, valid;
        string description;
        if (HasTrainAndValid(dataDir))
        {
            train = DsbDataset.Scan(trainDir).Samples;
            valid = DsbDataset.Scan(validDir).Samples;
            description = $"{trainDir} and {validDir}";
        }
        else
        {
            var all = DsbDataset.Scan(dataDir).Samples;
            double ratio = config.GetDouble("dataset", "cv_ratio");
            int seed = config.GetInt("dataset", "cv_seed");
            if (ratio < 0 || ratio >= 1) throw new NucleiInputException("configuration", $"[dataset] cv_ratio = {ratio} must be in [0, 1)");
            (train, valid) = SeededSplit(all, ratio, seed);
            description = $"{dataDir}: {valid.Count} of {all.Count} images held out for validation (cv_ratio {ratio}, cv_seed {seed})";
        }
        if (csv != null)
        {
            var white = WhiteLists(config);
            train = train.Where(s => csv.Admits(s.Id, white)).ToList();
            valid = valid.Where(s => csv.Admits(s.Id, white)).ToList();
        }
        return new Split(train, valid, description);
    }

    /// <summary>True when --data holds train/ and valid/ folders, used as given.</summary>
    public static bool HasTrainAndValid(string dataDir) =>
        Directory.Exists(Path.Combine(dataDir, "train")) && Directory.Exists(Path.Combine(dataDir, "valid"));

    /// <summary>Why the user expects validation images (a valid/ folder, or a cv_ratio above 0 they set), or null when they did not ask.</summary>
    public static string? ValidationAskedBy(string dataDir, NucleiConfiguration config) =>
        HasTrainAndValid(dataDir) ? $"{Path.Combine(dataDir, "valid")} was given"
        : config.IsSetByUser("dataset", "cv_ratio") && config.GetDouble("dataset", "cv_ratio") > 0
            ? $"[dataset] cv_ratio = {config.GetString("dataset", "cv_ratio").Trim()} was set"
            : null;

    /// <summary>Writes the split as CSV (image_id,set with set = train or valid), so evaluations can use the same held-out images.</summary>
    public static void WriteSplit(string path, Split split)
    {
        var rows = split.Train.Select(s => new object?[] { s.Id, "train" }).Concat(split.Valid.Select(s => new object?[] { s.Id, "valid" }));
        Nuclei.Core.IO.CsvTable.Write(path, ["image_id", "set"], rows);
    }

    /// <summary>Shuffles the (id-sorted) samples with <paramref name="seed"/> and holds out the first round(n·ratio).</summary>
    public static (List<AnnotatedSample> Train, List<AnnotatedSample> Valid) SeededSplit(IReadOnlyList<AnnotatedSample> all, double ratio, int seed)
    {
        var order = all.OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(order);
        int nValid = (int)Math.Round(order.Length * ratio);
        var valid = order.Take(nValid).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var train = order.Skip(nValid).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        return (train, valid);
    }

    public static Dictionary<string, string[]> WhiteLists(NucleiConfiguration config) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["source"] = config.GetList("dataset", "source"),
        ["major_category"] = config.GetList("dataset", "major_category"),
        ["sub_category"] = config.GetList("dataset", "sub_category"),
    };

    /// <summary>[dataset] group_by value that groups images by their kind from pixel statistics (no CSV needed).</summary>
    public const string KindGroup = "kind";

    /// <summary>
    /// Decodes the samples (in parallel, result in input order). A sample that has no annotation or fails to
    /// load is reported through <paramref name="warn"/> and left out.
    /// </summary>
    public static List<TrainingItem> Load(IReadOnlyList<AnnotatedSample> samples, DatasetCsv? csv, string groupColumn,
        int minObjectSize, Action<string> warn, int threads = 2)
    {
        var loaded = new TrainingItem?[samples.Count];
        var warnings = new string?[samples.Count];
        var replaced = new string?[samples.Count]; // NaN pixels replaced: the sample is kept
        Parallel.For(0, samples.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            var s = samples[i];
            if (s.Problem is not null) { warnings[i] = $"{s.ImagePath}: {s.Problem}; sample {s.Id} skipped"; return; }
            if (!s.HasAnnotation) { warnings[i] = $"{s.ImagePath}: no masks (or label map); skipped"; return; }
            try
            {
                var sample = DsbDataset.Load(s, w => replaced[i] = w);
                var labels = minObjectSize > 0 ? RemoveSmallObjects(sample.Labels, minObjectSize) : sample.Labels;
                string kind = ImageKind.Of(sample.Image);
                string group = groupColumn == KindGroup ? kind : csv?.Get(s.Id, groupColumn) ?? "all";
                loaded[i] = new TrainingItem(s.Id, sample.Image, labels, group, kind);
            }
            catch (NucleiInputException e) { warnings[i] = $"{e.Message}; sample {s.Id} skipped"; }
        });
        foreach (var w in replaced.Concat(warnings)) if (w != null) warn(w);
        return loaded.Where(x => x != null).Select(x => x!).ToList();
    }

    /// <summary>Sets nuclei smaller than <paramref name="minSize"/> pixels to background (annotation specks).</summary>
    public static LabelImage RemoveSmallObjects(LabelImage labels, int minSize)
    {
        int max = labels.MaxLabel();
        var area = new int[max + 1];
        foreach (int v in labels.Data) area[v]++;
        if (!area.Skip(1).Any(a => a > 0 && a < minSize)) return labels;
        var data = (int[])labels.Data.Clone();
        for (int i = 0; i < data.Length; i++) if (data[i] > 0 && area[data[i]] < minSize) data[i] = 0;
        return new LabelImage(labels.Height, labels.Width, data);
    }

    /// <summary>
    /// The item order of one epoch: every item once, or with <paramref name="balance"/> each group resampled to
    /// largest·(size/largest)^<paramref name="power"/> items (power 0: all groups as large as the largest; 0.5: by the
    /// square root of their size); then shuffled with a Random seeded by (seed, epoch).
    /// </summary>
    public static int[] EpochOrder(IReadOnlyList<TrainingItem> items, bool balance, int seed, int epoch, int epochSize = 0, double power = 0)
    {
        var rng = new Random(SeedMix.Of(seed, epoch, 0x5EED));
        List<int> order;
        if (!balance) order = Enumerable.Range(0, items.Count).ToList();
        else
        {
            var groups = Enumerable.Range(0, items.Count).GroupBy(i => items[i].Group).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToArray()).ToList();
            int largest = groups.Max(g => g.Length);
            order = new List<int>();
            foreach (var g in groups)
            {
                int target = Math.Max(g.Length, (int)Math.Round(largest * Math.Pow(g.Length / (double)largest, power)));
                order.AddRange(g);
                for (int k = g.Length; k < target; k++) order.Add(g[rng.Next(g.Length)]);
            }
        }
        var arr = order.ToArray();
        rng.Shuffle(arr);
        if (epochSize <= 0 || epochSize == arr.Length) return arr;
        var sized = new int[epochSize];
        for (int i = 0; i < epochSize; i++) sized[i] = arr[i % arr.Length];
        return sized;
    }
}
