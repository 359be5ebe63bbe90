using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Torch.Adaptation;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using Nuclei.Torch.Training;
using Nuclei.Tests.Training;
using TorchSharp;
using Xunit.Abstractions;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.Adaptation;

/// <summary>A tiny camunet trained for a few seconds on synthetic discs, and a folder of such images (their labels unused by adapt).</summary>
public sealed class TinyModelFixture : IDisposable
{
    public string Root { get; } = SyntheticNuclei.TempDir("adapt");
    public string Images => Path.Combine(Root, "images");
    public string Model { get; }

    public TinyModelFixture()
    {
        string data = SyntheticNuclei.Create(Path.Combine(Root, "data"), count: 6, size: 48, seed: 3);
        SyntheticNuclei.Create(Images, count: 4, size: 48, seed: 11, prefix: "new");
        foreach (var labels in Directory.GetFiles(Images, "*.labels.png")) File.Delete(labels);   // unlabelled
        var overrides = SyntheticNuclei.TinyRun(epochs: 30).Concat(["dataset.cv_ratio=0.0", "train.n_cv_epoch=100"]).ToArray();
        var result = Trainer.Run(new TrainingRequest(data, Path.Combine(Root, "run"), ConfigurationLoader.Load(null, overrides), ResumeMode.Fresh),
            new PlainTrainingObserver(TextWriter.Null));
        Model = result.BestCheckpoint!;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[Collection("torch-training")]
public sealed class AdaptationTests(TinyModelFixture tiny, ITestOutputHelper output) : IClassFixture<TinyModelFixture>
{
    /// <summary>
    /// A fine-tuning run that ends after a fixed number of epochs at a constant rate, long before its time budget: what
    /// a time budget trains depends on the machine's load, and these tests must not.
    /// </summary>
    AdaptationOptions Options(string outPath) => new(tiny.Model, InputCollector.Collect([tiny.Images]), outPath)
    {
        Minutes = 10, MinUpdates = 0, Overrides = ["train.n_thread=1", "train.n_epoch=8", "train.schedule=constant"],
    };

    static LabelImage Discs(params (int Y, int X, int R)[] discs)
    {
        var labels = new LabelImage(40, 40);
        for (int k = 0; k < discs.Length; k++)
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 40; x++)
                    if ((y - discs[k].Y) * (y - discs[k].Y) + (x - discs[k].X) * (x - discs[k].X) <= discs[k].R * discs[k].R) labels[y, x] = k + 1;
        return labels;
    }

    [Fact]
    public void AgreementIsOneForIdenticalSegmentationsAndLowerOtherwise()
    {
        var a = Discs((10, 10, 5), (28, 28, 6));
        Assert.Equal(1.0, ViewAgreement.Of(a, Discs((10, 10, 5), (28, 28, 6))));
        double shifted = ViewAgreement.Of(a, Discs((10, 11, 5), (28, 28, 6)));
        Assert.InRange(shifted, 0.01, 0.99);
        Assert.True(ViewAgreement.Of(a, Discs((28, 28, 6))) < shifted);   // a nucleus missing in one view costs more
        Assert.Equal(shifted, ViewAgreement.Of(Discs((10, 11, 5), (28, 28, 6)), a));   // symmetric
    }

    [Fact]
    public void StableNucleiAreThoseTheOtherViewMatches()
    {
        var stable = Nuclei.Core.Data.PseudoLabels.StableNuclei.Of(Discs((10, 10, 5), (28, 28, 6)), Discs((10, 10, 5), (28, 31, 6)), minIou: 0.7);
        Assert.Equal([false, true, false], stable);   // label 2 moved by half its radius: IoU about 0.5
    }

    [Fact]
    public void TuningLeavesOutPredictedNucleiLyingMostlyOnIgnoredPixels()
    {
        var pred = Discs((10, 10, 5), (28, 28, 6));
        var ignored = Discs((28, 28, 6), (10, 16, 5)).Data.Select(l => l > 0).ToArray();   // all of nucleus 2, a little of 1
        var kept = Nuclei.Core.PostProcessing.IgnoredPixels.DropCovered(pred, ignored);
        Assert.Equal(1, kept.MaxLabel());
        Assert.Equal(pred.Data.Count(l => l == 1), kept.Data.Count(l => l == 1));
    }

    [Fact]
    public void GuardRefusesFallingAgreementAndCollapse()
    {
        Assert.Null(AdaptationGuard.Refusal(0.80, 0.80, 100, 90, 10));
        Assert.Contains("fell from 0.8000 to 0.7900", AdaptationGuard.Refusal(0.80, 0.79, 100, 100, 10));
        Assert.Contains("finds 40 nuclei where the model found 100", AdaptationGuard.Refusal(0.80, 0.95, 100, 40, 10));
    }

    [Fact]
    public void OverEnoughImagesAGainWithinTwoStandardErrorsIsRefusedAndAClearGainWritten()
    {
        // Twelve images: gains alternating +0.02 / -0.01 (mean 0.005, standard error 0.0045): within the noise.
        var before = Enumerable.Repeat(0.90, 12).ToArray();
        var noisy = before.Select((b, i) => b + (i % 2 == 0 ? 0.02 : -0.01)).ToArray();
        var (gain, twoSe) = AdaptationGuard.GainAndTwoStandardErrors(before, noisy);
        Assert.Equal(0.005, gain, 1e-12);
        Assert.Equal(2 * Math.Sqrt(0.015 * 0.015 * 12 / 11 / 12), twoSe!.Value, 1e-12);
        Assert.Contains("within two standard errors", AdaptationGuard.Refusal(before, noisy, 500, 500));
        // The same spread around a mean gain of 0.1: written.
        var clear = before.Select((b, i) => b + 0.095 + (i % 2 == 0 ? 0.015 : -0.015)).ToArray();
        Assert.Null(AdaptationGuard.Refusal(before, clear, 500, 500));
        // Under ten images the spread is not estimated: any gain is written, a fall refused.
        Assert.Null(AdaptationGuard.GainAndTwoStandardErrors(before[..4], noisy[..4]).TwoStandardErrors);
        Assert.Null(AdaptationGuard.Refusal(before[..4], noisy[..4], 50, 50));
        Assert.Contains("fell from", AdaptationGuard.Refusal(noisy[..4], before[..4], 50, 50));
        // A collapsed original's agreement does not bind, whatever the spread.
        Assert.Null(AdaptationGuard.Refusal(before, before.Select(b => b - 0.3).ToArray(), 5, 3000));
    }

    [Fact]
    public void AnOriginalThatFindsAlmostNothingDoesNotBindTheAdaptedModelByItsAgreement()
    {
        // A collapsed checkpoint on a new stain: 61 nuclei in 107 images agree with themselves (mostly empty views);
        // re-estimated, 3,751 nuclei at a lower agreement.
        Assert.Null(AdaptationGuard.Refusal(0.7441, 0.4323, 61, 3751, 107));
        Assert.Contains("fewer than one per image", AdaptationGuard.RevivedFromCollapse(61, 3751, 107));
        // Not collapsed (more than one nucleus per image), or not revived (under ten times as many): the agreement binds.
        Assert.Contains("fell from", AdaptationGuard.Refusal(0.7441, 0.4323, 200, 3751, 107));
        Assert.Contains("fell from", AdaptationGuard.Refusal(0.7441, 0.4323, 61, 500, 107));
        Assert.Null(AdaptationGuard.RevivedFromCollapse(61, 500, 107));
    }

    [Fact]
    public void AdaptWritesTheAdaptedModelWithItsRecordAndLeavesNoWorkFiles()
    {
        string outDir = SyntheticNuclei.TempDir("adapt-out");
        try
        {
            string m2 = Path.Combine(outDir, "m2.nck");
            byte[] before = File.ReadAllBytes(tiny.Model);
            var lines = new List<string>();
            var result = ModelAdaptation.Run(Options(m2), new PlainTrainingObserver(TextWriter.Null), lines.Add);
            foreach (var l in lines) output.WriteLine(l);

            var info = Checkpoint.ReadInfo(m2).Info;
            var record = Assert.Single(info.Adaptations!);
            Assert.Equal(result.Record, record);
            Assert.Equal(4, record.Images);
            Assert.Equal(Path.GetFullPath(tiny.Images), record.Source);
            Assert.Equal(ImageSetIdentity.IdsSha256(InputCollector.Collect([tiny.Images])), record.IdsSha256);
            Assert.True(record.AgreementAfter >= record.AgreementBefore);
            Assert.Contains(info.Configuration, kv => kv.Key == "train.init_from" && kv.Value == Path.GetFullPath(tiny.Model));
            var written = new Nuclei.Torch.Inference.CheckpointSettings(info.Configuration, m2);
            Assert.Equal(result.Partition, Nuclei.Torch.Inference.CheckpointModels.PartitionOptionsOf(written));
            Assert.Equal(before, File.ReadAllBytes(tiny.Model));                  // the input is never touched
            Assert.Equal(["m2.nck"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));   // work folder removed

            var models = RunCli("models", "--model", m2);
            Assert.True(models.Exit == 0, models.Err);
            Assert.Contains("adapted to", models.Out);
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public void RecalibratedStatisticsNormaliseAnImageAsItsOwnBatchWould()
    {
        // Re-estimated on one image, eval-mode batch norm uses that image's statistics, so the network's output in eval
        // mode is its train-mode output on that image (up to the n/(n-1) of the unbiased running variance). No dropout,
        // which would make the train-mode pass differ by itself.
        using var net = ModelRegistry.Create("camunet", new ModelOptions { BaseWidth = 4, Depth = 2, Dropout = 0 });
        var rng = new Random(5);
        var image = new FloatImage(32, 48, 3, Enumerable.Range(0, 32 * 48 * 3).Select(_ => (float)(3 + 2 * rng.NextDouble())).ToArray());
        var normalization = new Nuclei.Core.Augmentation.Normalization([0.0, 0.0, 0.0], [1.0, 1.0, 1.0]);
        var (layers, images) = BatchNormRecalibration.Recalibrate(net, normalization, [image]);
        Assert.Equal(1, images);
        Assert.True(layers >= 4, $"{layers} batch-norm layers");
        using var input = torch.tensor(normalization.ToPlanar(image), [1, 3, 32, 48]);
        using var noGrad = torch.no_grad();
        using var evalOut = net.forward(input);
        net.train();
        using var trainOut = net.forward(input);   // the running statistics move again here; the test is done with them
        net.eval();
        double gap = (evalOut - trainOut).abs().max().item<float>(), scale = trainOut.abs().max().item<float>();
        Assert.True(gap < 0.02 * scale, $"eval vs own-batch output: max difference {gap:G3} at a scale of {scale:G3}");
    }

    [Fact]
    public void BatchNormAdaptationIsHeldToTheSameGuard()
    {
        // Four 48² images of the training kind give a noisy estimate: the recalibrated tiny model is less self-consistent
        // (0.86 -> 0.65 here), so nothing is written, as for fine-tuning.
        string outDir = SyntheticNuclei.TempDir("adapt-bn");
        try
        {
            string m2 = Path.Combine(outDir, "m2.nck");
            var lines = new List<string>();
            var e = Assert.Throws<AdaptationRefusedException>(() =>
                ModelAdaptation.Run(Options(m2) with { Method = AdaptationMethod.BatchNorm }, new PlainTrainingObserver(TextWriter.Null), lines.Add));
            Assert.Contains("agreement of plain and TTA segmentation fell", e.Message);
            Assert.Contains(lines, l => l.StartsWith("batch-norm statistics of ", StringComparison.Ordinal) && l.EndsWith("re-estimated on 4 image(s)", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.StartsWith("fine-tuning", StringComparison.Ordinal));
            Assert.Empty(Directory.GetFileSystemEntries(outDir));
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public void AWorseAdaptedModelIsRefusedAndNothingIsWritten()
    {
        string outDir = SyntheticNuclei.TempDir("adapt-refused");
        try
        {
            string m2 = Path.Combine(outDir, "m2.nck");
            var options = Options(m2) with { AfterFineTune = ReplaceWithUntrainedWeights };
            var e = Assert.Throws<AdaptationRefusedException>(() => ModelAdaptation.Run(options, new PlainTrainingObserver(TextWriter.Null)));
            output.WriteLine(e.Message);
            Assert.StartsWith(m2 + ": not written: ", e.Message);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Empty(Directory.GetFileSystemEntries(outDir));
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    /// <summary>The fine-tuned checkpoint swapped for freshly initialised weights of the same model: what a run gone wrong leaves.</summary>
    static void ReplaceWithUntrainedWeights(string path)
    {
        var loaded = Checkpoint.Load(path);
        loaded.Net.Dispose();
        torch.manual_seed(12345);
        using var fresh = ModelRegistry.Create(loaded.ModelName, loaded.Options);
        fresh.eval();
        Checkpoint.Save(path, fresh, loaded.Info);
    }

    [Fact]
    public void CommandLineRefusesAMissingImageAndTheInputAsOutput()
    {
        string missing = Path.Combine(tiny.Root, "nope.png");
        var run = RunCli("adapt", missing, "--model", tiny.Model, "--out", Path.Combine(tiny.Root, "x.nck"));
        Assert.True(run.Exit == 2, run.Err);
        Assert.Contains("nope.png", run.Err);
        Assert.Single(run.Err.Trim().Split('\n'));

        var same = RunCli("adapt", tiny.Images, "--model", tiny.Model, "--out", tiny.Model);
        Assert.True(same.Exit == 2, same.Err);
        Assert.Contains("--out must not be the input model", same.Err);
        Assert.False(File.Exists(Path.Combine(tiny.Root, "x.nck")));
    }

    [Fact]
    public void CommandLineExits1AndWritesNothingWhenThereIsNothingToLearnFrom()
    {
        string blank = Path.Combine(tiny.Root, "blank");
        Directory.CreateDirectory(blank);
        var image = new FloatImage(48, 48, 1);
        Array.Fill(image.Data, 0.1f);
        ImageIO.WriteImage8(Path.Combine(blank, "empty.png"), image);
        string m2 = Path.Combine(tiny.Root, "blank.nck");
        var run = RunCli("adapt", blank, "--model", tiny.Model, "--out", m2, "--minutes", "0.05");
        Assert.True(run.Exit == 1, run.Err);
        Assert.Contains($"error: {m2}: not written: no image kept confident, stable nuclei", run.Err);
        Assert.False(File.Exists(m2));
        Assert.Empty(Directory.GetDirectories(tiny.Root, ".blank.adapt-*"));
    }
}
