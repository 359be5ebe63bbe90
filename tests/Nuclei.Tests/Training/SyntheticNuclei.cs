using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Training;

/// <summary>A tiny labelled dataset (flat layout: id.png beside id.labels.png) of bright discs, some touching, for fast training tests.</summary>
public static class SyntheticNuclei
{
    public static string Create(string dir, int count = 4, int size = 48, int seed = 1, string prefix = "img")
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(seed);
        for (int n = 0; n < count; n++)
        {
            var img = new FloatImage(size, size, 1);
            var lab = new LabelImage(size, size);
            int discs = 3 + rng.Next(3);
            for (int k = 1; k <= discs; k++)
            {
                int cy = 6 + rng.Next(size - 12), cx = 6 + rng.Next(size - 12), r = 3 + rng.Next(4);
                for (int y = Math.Max(0, cy - r); y < Math.Min(size, cy + r + 1); y++)
                    for (int x = Math.Max(0, cx - r); x < Math.Min(size, cx + r + 1); x++)
                        if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) lab[y, x] = k;
            }
            for (int i = 0; i < img.Data.Length; i++)
                img.Data[i] = (lab.Data[i] > 0 ? 0.75f : 0.1f) + (float)(rng.NextDouble() * 0.1);
            ImageIO.WriteImage8(Path.Combine(dir, $"{prefix}{n}.png"), img);
            ImageIO.WriteLabels(Path.Combine(dir, $"{prefix}{n}.labels.png"), lab);
        }
        return dir;
    }

    /// <summary>Overrides for a tiny, fast camunet run (a few seconds on 2 cores).</summary>
    public static string[] TinyRun(int epochs, int threads = 1) =>
    [
        "param.model=camunet", "camunet.base_width=4", "camunet.depth=2", "param.width=32", "param.learn_rate=0.01",
        $"train.n_epoch={epochs}", "train.n_batch=2", "train.epoch_size=4", "train.n_ckpt_epoch=1", "train.n_cv_epoch=1",
        "train.warmup_epochs=0.0", "train.print_freq=1", $"train.n_thread={threads}", "train.n_worker=2",
        "dataset.cv_ratio=0.25", "pre.min_object_size=0",
        // These runs check the machinery, not learning: a validation score of 0 is expected, not a failure.
        "train.fail_if_unlearned=False",
    ];

    public static string TempDir(string name)
    {
        string d = Path.Combine(Path.GetTempPath(), $"nuclei-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }
}
