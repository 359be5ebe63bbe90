using System.Globalization;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Tests.Core;

public class MetricTests
{
    /// <summary>A 1-row label map from a string of digits ('0' background), handy for hand-computed cases.</summary>
    static LabelImage Row(string digits) => new(1, digits.Length, digits.Select(c => c - '0').ToArray());

    [Fact]
    public void PerfectMatchScoresOne()
    {
        var s = DsbMetric.Score(Row("1110022203"), Row("2220011104")); // label values need not agree
        Assert.Equal(1.0, s.MeanAp);
        Assert.All(s.PerThreshold, c => Assert.Equal((3, 0, 0), (c.TruePositives, c.FalsePositives, c.FalseNegatives)));
    }

    [Fact]
    public void SplitNucleusMatchesOnlyBelowItsIoU()
    {
        // Truth: one nucleus of 10 px. Prediction: pieces of 7 and 3 px. IoU(big piece) = 0.7, IoU(small) = 0.3.
        // t = .50 .55 .60 .65: TP 1, FP 1, FN 0 -> 1/2; t >= .70 (0.7 is not > 0.7): TP 0, FP 2, FN 1 -> 0.
        var s = DsbMetric.Score(Row("1111111111"), Row("1111111222"));
        Assert.Equal(4 * 0.5 / 10, s.MeanAp, 12);
        Assert.Equal((1, 1, 0), (s.PerThreshold[3].TruePositives, s.PerThreshold[3].FalsePositives, s.PerThreshold[3].FalseNegatives));
        Assert.Equal((0, 2, 1), (s.PerThreshold[4].TruePositives, s.PerThreshold[4].FalsePositives, s.PerThreshold[4].FalseNegatives));
    }

    [Fact]
    public void MissedNucleusHalvesTheScore()
    {
        var s = DsbMetric.Score(Row("11002200"), Row("11000000"));
        Assert.Equal(0.5, s.MeanAp, 12);
        Assert.All(s.PerThreshold, c => Assert.Equal((1, 0, 1), (c.TruePositives, c.FalsePositives, c.FalseNegatives)));
        Assert.Equal(2.0 / 3, s.F1At50, 12);
    }

    [Fact]
    public void EmptyVersusEmptyIsOneAndEmptyVersusSomethingIsZero()
    {
        Assert.Equal(1.0, DsbMetric.Score(Row("0000"), Row("0000")).MeanAp);
        Assert.Equal(1.0, DsbMetric.Score(Row("0000"), Row("0000")).F1At50);
        Assert.Equal(0.0, DsbMetric.Score(Row("0110"), Row("0000")).MeanAp);
        Assert.Equal(0.0, DsbMetric.Score(Row("0000"), Row("0110")).MeanAp);
    }

    [Fact]
    public void IoUExactlyAtAThresholdIsNotAMatch()
    {
        // Truth 20 px, prediction the first 11 of them: IoU = 11/20 = 0.55 exactly.
        var truth = new LabelImage(1, 20, Enumerable.Repeat(1, 20).ToArray());
        var pred = new LabelImage(1, 20, Enumerable.Range(0, 20).Select(i => i < 11 ? 5 : 0).ToArray());
        var s = DsbMetric.Score(truth, pred);
        Assert.Equal(1, s.PerThreshold[0].TruePositives); // 0.55 > 0.50
        Assert.Equal(0, s.PerThreshold[1].TruePositives); // 0.55 is not > 0.55
        Assert.Equal(0.1, s.MeanAp, 12);

        // IoU exactly 0.5 matches nothing at all.
        Assert.Equal(0.0, DsbMetric.Score(Row("1111"), Row("1100")).MeanAp);
    }

    [Fact]
    public void SparseAndLargeLabelValuesWork()
    {
        var truth = new LabelImage(1, 4, new[] { 70000, 70000, 0, 3 });
        var pred = new LabelImage(1, 4, new[] { 9, 9, 0, 1_000_000 });
        Assert.Equal(1.0, DsbMetric.Score(truth, pred).MeanAp);
    }

    [Fact]
    public void DatasetScoreIsTheMeanOfImagesWithSummedCounts()
    {
        var a = DsbMetric.Score(Row("11002200"), Row("11000000")); // 0.5
        var b = DsbMetric.Score(Row("0000"), Row("0000"));         // 1.0
        var d = DatasetScore.Aggregate(new[] { a, b });
        Assert.Equal(0.75, d.MeanAp, 12);
        Assert.Equal(2, d.Images);
        Assert.Equal((1, 0, 1), (d.Totals[9].TruePositives, d.Totals[9].FalsePositives, d.Totals[9].FalseNegatives));
    }

    [Fact]
    public void PixelIoUAndDice()
    {
        var p = PixelOverlap.Compute(Row("1111000"), Row("0022330")); // T=4, P=4, inter=2
        Assert.Equal(2.0 / 6, p.Iou, 12);
        Assert.Equal(0.5, p.Dice, 12);
        Assert.Equal(1.0, PixelOverlap.Compute(Row("00"), Row("00")).Iou);
    }

    [SkippableFact]
    public void SharedTrainingSetScoresOneAgainstItselfAndMatchesThePythonOracleWhenEroded()
    {
        var all = SharedTrainingLabels.Require();
        var oracle = File.ReadLines(Path.Combine(TestData.RepoRoot, "tests", "Nuclei.Tests", "Core", "TestFiles", "eroded_scores_oracle.csv"))
            .Skip(1)
            .Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
        Assert.Equal(oracle.Keys.Order(StringComparer.Ordinal), all.Select(a => a.Id));

        var self = new ImageScore[all.Count];
        var eroded = new ImageScore[all.Count];
        Parallel.For(0, all.Count, i =>
        {
            self[i] = DsbMetric.Score(all[i].Labels, all[i].Labels);
            eroded[i] = DsbMetric.Score(all[i].Labels, LabelErosion.ErodeEach(all[i].Labels));
        });

        Assert.All(self, s => Assert.Equal(1.0, s.MeanAp));
        var mismatches = Enumerable.Range(0, all.Count)
            .Where(i => Math.Abs(eroded[i].MeanAp - oracle[all[i].Id]) > 1e-4)
            .Select(i => $"{all[i].Id}: C# {eroded[i].MeanAp:F6} oracle {oracle[all[i].Id]:F6}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        double mean = DatasetScore.Aggregate(eroded).MeanAp;
        Assert.Equal(oracle.Values.Average(), mean, 1e-4);
    }
}
