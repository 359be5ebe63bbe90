using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nuclei.Tests.Training;

/// <summary>Training runs that set libtorch's thread count: never in parallel with each other.</summary>
[CollectionDefinition("torch-training", DisableParallelization = true)]
public class TorchTrainingCollection { }

[Collection("torch-training")]
public class TrainingLoopTests(ITestOutputHelper output)
{
    static TrainingResult Train(string data, string outDir, string[] overrides, ResumeMode mode = ResumeMode.Auto, int? stopAfter = null, Action<string>? beforeCommit = null)
    {
        var config = ConfigurationLoader.Load(null, overrides);
        return Trainer.Run(new TrainingRequest(data, outDir, config, mode) { StopAfterEpochs = stopAfter, BeforeCheckpointCommit = beforeCommit },
            new PlainTrainingObserver(TextWriter.Null));
    }

    /// <summary>Largest absolute difference between the weights (and buffers) of two checkpoints.</summary>
    static double MaxWeightDifference(string a, string b)
    {
        using var ca = Checkpoint.Load(a).Net;
        using var cb = Checkpoint.Load(b).Net;
        var sa = ca.state_dict(); var sb = cb.state_dict();
        Assert.Equal(sa.Keys.OrderBy(k => k), sb.Keys.OrderBy(k => k));
        double max = 0;
        foreach (var k in sa.Keys)
        {
            using var d = (sa[k].to_type(ScalarType.Float64) - sb[k].to_type(ScalarType.Float64)).abs().max();
            max = Math.Max(max, d.item<double>());
        }
        return max;
    }

    [Fact]
    public void SmokeLossFallsAndCheckpointReloadsToIdenticalOutputs()
    {
        string root = SyntheticNuclei.TempDir("smoke");
        try
        {
            // The committed samples when present, else a synthetic set.
            string data = Directory.Exists(TestData.SamplesDir) && Directory.EnumerateDirectories(TestData.SamplesDir).Count() >= 2
                ? TestData.SamplesDir : SyntheticNuclei.Create(Path.Combine(root, "data"));
            var overrides = SyntheticNuclei.TinyRun(epochs: 8).Concat(new[] { "dataset.cv_ratio=0.0", "pre.rotate=False", "pre.elastic_distortion=False", "train.n_cv_epoch=100" }).ToArray();
            var result = Train(data, Path.Combine(root, "out"), overrides, ResumeMode.Fresh);
            var losses = result.Epochs.Select(e => e.Loss).ToArray();
            output.WriteLine("epoch losses: " + string.Join(", ", losses.Select(l => l.ToString("0.000"))));
            Assert.True(losses[^2..].Average() < losses[..2].Average(), "training loss should fall");

            // The checkpoint rebuilds a network giving exactly the same outputs.
            var loaded = Checkpoint.Load(result.CurrentCheckpoint!);
            var again = Checkpoint.Load(result.CurrentCheckpoint!);
            using var x = rand(1, 3, 32, 32);
            using var y1 = loaded.Net.forward(x);
            using var y2 = again.Net.forward(x);
            Assert.Equal(0.0, (y1 - y2).abs().max().item<float>());
            Assert.True(File.Exists(Path.Combine(root, "out", "log.csv")));
            Assert.True(File.Exists(Path.Combine(root, "out", "learning_curve.png")));
            Assert.True(File.Exists(Path.Combine(root, "out", "config.ini")));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "out", "tensorboard")));
            loaded.Net.Dispose(); again.Net.Dispose();
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void ResumeGivesTheSameWeightsAsAStraightRun()
    {
        string root = SyntheticNuclei.TempDir("resume");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            foreach (int threads in new[] { 1, 2 })
            {
                var o = SyntheticNuclei.TinyRun(epochs: 2, threads);
                string straight = Path.Combine(root, $"straight{threads}"), split = Path.Combine(root, $"split{threads}");
                Train(data, straight, o, ResumeMode.Fresh);
                Train(data, split, o, ResumeMode.Fresh, stopAfter: 1);
                Assert.True(File.Exists(Path.Combine(split, "ckpt-1.nck")));
                Assert.False(File.Exists(Path.Combine(split, "ckpt-2.nck")));
                Train(data, split, o, ResumeMode.Resume);
                double diff = MaxWeightDifference(Path.Combine(straight, "ckpt-2.nck"), Path.Combine(split, "ckpt-2.nck"));
                output.WriteLine($"resume equivalence, {threads} thread(s): largest weight difference {diff:G4}");
                Console.WriteLine($"resume equivalence, {threads} thread(s): largest weight difference {diff:G4}");
                if (threads == 1) Assert.Equal(0.0, diff);
                else Assert.True(diff < 1e-3, $"2 threads: difference {diff}");
            }
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }

    [Fact]
    public void AFailureDuringACheckpointWriteLeavesThePreviousCheckpointResumable()
    {
        string root = SyntheticNuclei.TempDir("killwrite");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            var o = SyntheticNuclei.TinyRun(epochs: 3);
            string straight = Path.Combine(root, "straight"), broken = Path.Combine(root, "broken");
            Train(data, straight, o, ResumeMode.Fresh);
            // "Die" in the middle of writing the epoch-2 checkpoint (after its bytes are written, before it is committed).
            Assert.ThrowsAny<IOException>(() => Train(data, broken, o, ResumeMode.Fresh, beforeCommit: tmp =>
            {
                if (tmp.Contains("ckpt-2")) { File.WriteAllBytes(tmp, new byte[100]); throw new IOException("simulated crash during checkpoint write"); }
            }));
            Assert.Equal(Path.Combine(broken, "ckpt-1.nck"), CheckpointPointer.Read(broken));
            Assert.False(File.Exists(Path.Combine(broken, "ckpt-2.nck")));
            Train(data, broken, o, ResumeMode.Resume);
            Assert.Equal(0.0, MaxWeightDifference(Path.Combine(straight, "ckpt-3.nck"), Path.Combine(broken, "ckpt-3.nck")));
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }

    /// <summary>Largest absolute difference between the trainable parameters (not the batch-norm statistics) of two checkpoints.</summary>
    static double MaxParameterDifference(string a, string b)
    {
        using var ca = Checkpoint.Load(a).Net;
        using var cb = Checkpoint.Load(b).Net;
        return ca.named_parameters().Zip(cb.named_parameters(), (pa, pb) =>
        {
            Assert.Equal(pa.name, pb.name);
            using var d = (pa.parameter - pb.parameter).abs().max();
            return (double)d.item<float>();
        }).Max();
    }

    [Fact]
    public void InitFromStartsANewRunOnACheckpointsWeights()
    {
        string root = SyntheticNuclei.TempDir("finetune");
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            var tiny = SyntheticNuclei.TinyRun(epochs: 2);
            string trained = Train(data, Path.Combine(root, "trained"), tiny, ResumeMode.Fresh).CurrentCheckpoint!;

            // A learning rate too small to move the weights: the fine-tuned run ends where the trained one did,
            // while a fresh run of the same configuration starts from other (seeded) weights.
            var still = tiny.Append("param.learn_rate=1e-12").Append("train.n_epoch=1").ToArray();
            string tuned = Train(data, Path.Combine(root, "tuned"), still.Append($"train.init_from={trained}").ToArray(), ResumeMode.Fresh).CurrentCheckpoint!;
            string fresh = Train(data, Path.Combine(root, "fresh"), still, ResumeMode.Fresh).CurrentCheckpoint!;
            Assert.True(MaxParameterDifference(trained, tuned) < 1e-6);
            Assert.True(MaxParameterDifference(trained, fresh) > 1e-3);
            Assert.Equal(1, Checkpoint.ReadInfo(tuned).Info.Epoch);   // its own epochs, counted from 0

            // Another architecture in the checkpoint, or no checkpoint at all: an error naming the file.
            var other = tiny.Append("camunet.base_width=8").Append($"train.init_from={trained}").ToArray();
            var e1 = Assert.Throws<NucleiInputException>(() => Train(data, Path.Combine(root, "other"), other, ResumeMode.Fresh));
            Assert.Contains(trained, e1.Message);
            string missing = Path.Combine(root, "missing.nck");
            var e2 = Assert.Throws<NucleiInputException>(() => Train(data, Path.Combine(root, "none"), tiny.Append($"train.init_from={missing}").ToArray(), ResumeMode.Fresh));
            Assert.Contains("no such checkpoint", e2.Message);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void BadInputIsAClearErrorBeforeTraining()
    {
        string root = SyntheticNuclei.TempDir("badinput");
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"), count: 3);
            // An image without a label map is skipped with a warning naming it.
            File.Copy(Path.Combine(data, "img0.png"), Path.Combine(data, "orphan.png"));
            // A label map of another size than its image: skipped with a warning naming it.
            File.Copy(Path.Combine(data, "img0.png"), Path.Combine(data, "small.png"));
            Nuclei.Core.Imaging.ImageIO.WriteLabels(Path.Combine(data, "small.labels.png"), new Nuclei.Core.Imaging.LabelImage(20, 20));
            var warnings = new List<string>();
            var observer = new CollectingObserver(warnings);
            var config = ConfigurationLoader.Load(null, SyntheticNuclei.TinyRun(1).Concat(new[] { "dataset.cv_ratio=0.0", "train.n_cv_epoch=5" }));
            Trainer.Run(new TrainingRequest(data, Path.Combine(root, "out"), config), observer);
            Assert.Contains(warnings, w => w.Contains("orphan.png"));
            Assert.Contains(warnings, w => w.Contains("small.labels.png") && w.Contains("20x20"));

            // Unwritable output folder (a file in the way).
            string blocker = Path.Combine(root, "file");
            File.WriteAllText(blocker, "x");
            var e1 = Assert.Throws<NucleiInputException>(() => Trainer.Run(new TrainingRequest(data, Path.Combine(blocker, "out"), config), observer));
            Assert.Contains("not writable", e1.Message);

            // Empty dataset after the CSV white-list.
            string csv = Path.Combine(root, "dataset.csv");
            File.WriteAllText(csv, "image_id,source,major_category,sub_category\nimg0,Kaggle,Fluorescence,x\nimg1,Kaggle,Fluorescence,x\n");
            var filtered = config.With($"dataset.csv_file={csv}", "dataset.source=TCGA");
            var e2 = Assert.Throws<NucleiInputException>(() => Trainer.Run(new TrainingRequest(data, Path.Combine(root, "out2"), filtered), observer));
            Assert.Contains("no training images", e2.Message);

            // --resume without a checkpoint.
            var e3 = Assert.Throws<NucleiInputException>(() => Trainer.Run(new TrainingRequest(data, Path.Combine(root, "out3"), config, ResumeMode.Resume), observer));
            Assert.Contains("no checkpoint", e3.Message);
        }
        finally { Directory.Delete(root, true); }
    }

    sealed class CollectingObserver(List<string> warnings) : ITrainingObserver
    {
        public void Info(string message) { }
        public void Warning(string message) => warnings.Add(message);
        public void Step(StepReport report, bool print) { }
        public void EpochDone(EpochRecord record) { }
    }
}
