using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace Nuclei.Tests.Training;

/// <summary>A non-finite loss or gradient never reaches the weights; too many of them, or a dead model, fail the run.</summary>
[Collection("torch-training")]
public class NonFiniteStepTests(ITestOutputHelper output)
{
    static TrainingBatch WithNaNInput(TrainingBatch b)
    {
        var images = (float[])b.Images.Clone();
        images[images.Length / 2] = float.NaN;
        return b with { Images = images };
    }

    static (TrainingResult Result, List<string> Warnings) Train(string data, string outDir, string[] overrides, Func<int, int, TrainingBatch, TrainingBatch> fault)
    {
        var warnings = new List<string>();
        var observer = new CollectingObserver(warnings);
        var request = new TrainingRequest(data, outDir, ConfigurationLoader.Load(null, overrides), ResumeMode.Fresh) { BatchFault = fault };
        return (Trainer.Run(request, observer), warnings);
    }

    sealed class CollectingObserver(List<string> warnings) : ITrainingObserver
    {
        public void Info(string message) { }
        public void Warning(string message) => warnings.Add(message);
        public void Step(StepReport report, bool print) { }
        public void EpochDone(EpochRecord record) { }
    }

    static string[] Run(int epochs, params string[] more) =>
        SyntheticNuclei.TinyRun(epochs).Concat(["dataset.cv_ratio=0.0", "pre.rotate=False", "pre.elastic_distortion=False"]).Concat(more).ToArray();

    [Fact]
    public void StepsWithANaNInputAreSkippedAndTheWeightsStayFinite()
    {
        string root = SyntheticNuclei.TempDir("nanskip");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            var (result, warnings) = Train(data, Path.Combine(root, "out"), Run(4),
                (epoch, step, b) => epoch == 2 || (epoch == 3 && step == 1) ? WithNaNInput(b) : b);
            foreach (var w in warnings) output.WriteLine(w);
            Assert.Equal(3, result.SkippedSteps);   // epoch 2's two steps and one of epoch 3
            Assert.Contains(warnings, w => w.Contains("epoch 2, step 1: the loss") && w.Contains("not finite already: input") && w.Contains("images: "));
            Assert.All(result.Epochs.Where(e => e.Epoch != 2), e => Assert.True(double.IsFinite(e.Loss)));
            var skipped = result.Epochs.Single(e => e.Epoch == 2);   // every step skipped: no loss, not a loss of 0
            Assert.True(double.IsNaN(skipped.Loss), $"epoch 2 loss {skipped.Loss}");
            var line = new StringWriter();
            new PlainTrainingObserver(line).EpochDone(skipped);
            Assert.Contains("no step finished (every one was skipped)", line.ToString());
            using var net = Checkpoint.Load(result.CurrentCheckpoint!).Net;
            foreach (var (name, t) in net.state_dict())
                if (t.is_floating_point()) Assert.True(t.isfinite().all().item<bool>(), $"{name} is not finite");
            // 2 steps of epoch 1, none of 2, one of 3, two of 4: the skipped steps made no update.
            Assert.Equal(5, result.Epochs[^1].Step);
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }

    [Fact]
    public void MoreNonFiniteStepsThanAllowedStopTheRunAndKeepEarlierCheckpoints()
    {
        string root = SyntheticNuclei.TempDir("nanstop");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            string outDir = Path.Combine(root, "out");
            var e = Assert.Throws<TrainingFailedException>(() => Train(data, outDir, Run(3, "train.max_nonfinite_steps=1"),
                (epoch, step, b) => epoch >= 2 ? WithNaNInput(b) : b));
            output.WriteLine(e.Message);
            Assert.Contains("max_nonfinite_steps = 1", e.Message);
            Assert.Contains("epoch 2, step 2", e.Message);
            Assert.Equal(Path.Combine(outDir, "ckpt-1.nck"), CheckpointPointer.Read(outDir));
            Assert.False(File.Exists(Path.Combine(outDir, "ckpt-2.nck")));
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }

    [Fact]
    public void ABudgetTooShortToLearnInIsRefusedWithTheMinimum()
    {
        string root = SyntheticNuclei.TempDir("budget");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            // 40 epochs of 2 updates, but a budget of 0.6 s: far fewer than the 1000 updates asked for.
            var e = Assert.Throws<Nuclei.Core.NucleiInputException>(() => Train(data, Path.Combine(root, "out"),
                Run(40, "train.time_budget_minutes=0.01", "train.min_budget_updates=1000"), (_, _, b) => b));
            output.WriteLine(e.Message);
            Assert.Matches(@"time_budget_minutes = 0\.01 allows about \d+ optimizer updates .* give at least \d+ minutes", e.Message);
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }

    [Fact]
    public void ARunWhoseValidationNeverRoseAboveZeroFails()
    {
        string root = SyntheticNuclei.TempDir("unlearned");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            // One epoch at a learning rate too small to move: the validation score stays 0.
            var overrides = SyntheticNuclei.TinyRun(epochs: 1).Concat(["train.fail_if_unlearned=True", "param.learn_rate=1e-9"]).ToArray();
            var e = Assert.Throws<TrainingFailedException>(() => Train(data, Path.Combine(root, "out"), overrides, (_, _, b) => b));
            output.WriteLine(e.Message);
            Assert.Contains("validation score never rose above 0", e.Message);
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }

    [Fact]
    public void ARunWithoutValidationWhoseModelFindsNothingInItsTrainingImagesFails()
    {
        string root = SyntheticNuclei.TempDir("unlearned-novalid");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            // No validation split, and a learning rate too small to move: nothing tells the run its model is dead but the check.
            var overrides = SyntheticNuclei.TinyRun(epochs: 1).Concat(["dataset.cv_ratio=0", "train.fail_if_unlearned=True", "param.learn_rate=1e-9"]).ToArray();
            var e = Assert.Throws<TrainingFailedException>(() => Train(data, Path.Combine(root, "out"), overrides, (_, _, b) => b));
            output.WriteLine(e.Message);
            Assert.Contains("with no validation images the model was scored on", e.Message);
            Assert.True(File.Exists(Path.Combine(root, "out", "ckpt-1.nck")), "the checkpoints written before are kept");
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }
}
