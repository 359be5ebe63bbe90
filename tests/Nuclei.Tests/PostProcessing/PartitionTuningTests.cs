using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Tests.PostProcessing;

public class PartitionTuningTests
{
    /// <summary>Two kinds of synthetic image whose body maps are only right at a high threshold: a halo of 0.45 around every disc.</summary>
    static List<TuningImage> Images()
    {
        var list = new List<TuningImage>();
        for (int k = 0; k < 4; k++)
        {
            int size = 64;
            var discs = new[] { (16.0 + k, 16.0, 8.0), (44.0, 40.0 - k, 9.0) };
            var inner = Shapes.Discs(size, size, discs);
            var halo = Shapes.Discs(size, size, discs.Select(d => (d.Item1, d.Item2, d.Item3 + 4)).ToArray());
            var body = new FloatImage(size, size, 1, inner.Zip(halo, (i, h) => i ? 0.9f : h ? 0.45f : 0.02f).ToArray());
            var truth = new LabelImage(size, size);
            for (int d = 0; d < discs.Length; d++)
            {
                var one = Shapes.Discs(size, size, discs[d]);
                for (int i = 0; i < one.Length; i++) if (one[i]) truth.Data[i] = d + 1;
            }
            list.Add(new TuningImage(body, null, null, truth, k % 2 == 0 ? "a" : "b"));
        }
        return list;
    }

    [Fact]
    public void Tuning_finds_the_threshold_that_drops_the_halo()
    {
        var images = Images();
        var start = new PartitionOptions { ThresholdBody = 0.3f, MarkerSource = MarkerSource.Peaks };
        var before = PartitionTuning.Score(images, start);
        var tuned = PartitionTuning.Tune(images, start);
        Assert.True(tuned.Options.ThresholdBody >= 0.5f, $"threshold {tuned.Options.ThresholdBody}");
        Assert.True(tuned.Balanced > before.Balanced + 0.2, $"{before.Balanced} → {tuned.Balanced}");
        Assert.Equal(new[] { "a", "b" }, tuned.ByKind.Keys.Order());
    }

    [Fact]
    public void Tuning_never_makes_the_score_worse()
    {
        var images = Images();
        var start = new PartitionOptions { ThresholdBody = 0.6f, MarkerSource = MarkerSource.Peaks };
        Assert.True(PartitionTuning.Tune(images, start).Balanced >= PartitionTuning.Score(images, start).Balanced);
    }
}
