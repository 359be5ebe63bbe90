using Nuclei.Core.Imaging;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Training;

public class PipelineTests
{
    [Fact]
    public void OrderedQueueGivesTheSameItemsInOrderWhateverTheWorkerCount()
    {
        int[] Run(int workers, int capacity)
        {
            using var q = new OrderedBatchQueue<int>(50, i => { Thread.Sleep((i * 7) % 3); return new Random(SeedMix.Of(1, 2, i)).Next(); }, workers, capacity);
            return Enumerable.Range(0, 50).Select(_ => q.Take()).ToArray();
        }
        var one = Run(1, 1);
        Assert.Equal(one, Run(3, 4));
        Assert.Equal(one, Run(2, 2));
    }

    [Fact]
    public void OrderedQueueReportsAWorkerFailure()
    {
        using var q = new OrderedBatchQueue<int>(5, i => i == 2 ? throw new InvalidDataException("bad batch") : i, 2, 2);
        Assert.Equal(0, q.Take());
        Assert.Equal(1, q.Take());
        var e = Assert.Throws<InvalidOperationException>(() => q.Take());
        Assert.Contains("bad batch", e.Message);
    }


    [Fact]
    public void SeededSplitIsFixedAndDisjoint()
    {
        var samples = Enumerable.Range(0, 100).Select(i => new Nuclei.Core.Data.AnnotatedSample($"id{i:000}", $"x{i}.png", new[] { "m.png" })).ToList();
        var (t1, v1) = TrainingData.SeededSplit(samples, 0.1, 666);
        var (t2, v2) = TrainingData.SeededSplit(samples.AsEnumerable().Reverse().ToList(), 0.1, 666);
        Assert.Equal(10, v1.Count);
        Assert.Equal(v1.Select(s => s.Id), v2.Select(s => s.Id));      // independent of the scan order
        Assert.Empty(t1.Select(s => s.Id).Intersect(v1.Select(s => s.Id)));
        Assert.Equal(100, t1.Count + v1.Count);
        var (_, v3) = TrainingData.SeededSplit(samples, 0.1, 667);
        Assert.NotEqual(v1.Select(s => s.Id), v3.Select(s => s.Id));
    }

    [Fact]
    public void TrainAndValidFoldersAreUsedAsGiven()
    {
        string root = SyntheticNuclei.TempDir("layout");
        try
        {
            SyntheticNuclei.Create(Path.Combine(root, "train"), count: 3, seed: 1);
            SyntheticNuclei.Create(Path.Combine(root, "valid"), count: 2, seed: 2);
            var split = TrainingData.Choose(root, Nuclei.Core.Configuration.ConfigurationLoader.Defaults(), null);
            Assert.Equal(3, split.Train.Count);
            Assert.Equal(2, split.Valid.Count);
            Assert.All(split.Valid, s => Assert.StartsWith(Path.Combine(root, "valid"), s.ImagePath));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void BalancingOversamplesSmallGroups()
    {
        var img = new FloatImage(2, 2, 3);
        var lab = new LabelImage(2, 2);
        var items = Enumerable.Range(0, 10).Select(i => new TrainingItem($"i{i}", img, lab, i < 8 ? "fluo" : "he")).ToList();
        var order = TrainingData.EpochOrder(items, balance: true, seed: 1, epoch: 1);
        Assert.Equal(16, order.Length);
        Assert.Equal(8, order.Count(i => items[i].Group == "he"));
        Assert.Equal(order, TrainingData.EpochOrder(items, true, 1, 1));
        Assert.NotEqual(order, TrainingData.EpochOrder(items, true, 1, 2));
        Assert.Equal(10, TrainingData.EpochOrder(items, false, 1, 1).Distinct().Count());
        // balance_power 0.5: the small group (2 of 10) grows to 8·√(2/8) = 4 draws, not to 8
        var sqrt = TrainingData.EpochOrder(items, balance: true, seed: 1, epoch: 1, power: 0.5);
        Assert.Equal(12, sqrt.Length);
        Assert.Equal(4, sqrt.Count(i => i >= 8));
    }

    [Fact]
    public void CosineScheduleWarmsUpThenDecaysToTheFloor()
    {
        var s = new LearningRateSchedule("cosine", 1e-3, Epochs: 10, StepsPerEpoch: 10, WarmupEpochs: 1, MinRatio: 0.01);
        Assert.True(s.RateAt(0) < 2e-4);
        Assert.Equal(1e-3, s.RateAt(9), 9);
        Assert.True(s.RateAt(50) < s.RateAt(20));
        Assert.Equal(1e-5, s.RateAtEpoch(10), 9);
        var step = new LearningRateSchedule("step", 1.0, 10, 10, StepEpochs: 3, StepGamma: 0.5);
        Assert.Equal(0.25, step.RateAtEpoch(6.5), 9);
        Assert.Equal(0.3, new LearningRateSchedule("plateau", 1.0, 10, 10).RateAt(5, 0.3), 9);
    }
}
