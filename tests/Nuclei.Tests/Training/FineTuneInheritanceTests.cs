using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Training;

/// <summary>A fine-tuned model keeps what its source knew besides its weights: tuned post-processing, normalisation, training diameter.</summary>
[Collection("torch-training")]
public class FineTuneInheritanceTests
{
    static TrainingResult Train(string data, string outDir, IEnumerable<string> overrides) =>
        Trainer.Run(new TrainingRequest(data, outDir, ConfigurationLoader.Load(null, overrides), ResumeMode.Fresh), new PlainTrainingObserver(TextWriter.Null));

    static string Saved(string checkpoint, string key) =>
        Checkpoint.ReadInfo(checkpoint).Info.Configuration.Last(kv => kv.Key == key).Value;

    [Fact]
    public void InitFromCarriesTheSourcesTunedValuesUnlessTheUserSetsThem()
    {
        string root = SyntheticNuclei.TempDir("inherit");
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            var tiny = SyntheticNuclei.TinyRun(epochs: 1).Append("pre.normalize=percentile").ToArray();
            string trained = Train(data, Path.Combine(root, "trained"), tiny).CurrentCheckpoint!;

            // The source as `nuclei tune` leaves one: other thresholds and minimum size in its saved configuration.
            string source = Path.Combine(root, "tuned.nck");
            var loaded = Checkpoint.Load(trained);
            var tuned = new Dictionary<string, string> { ["param.threshold"] = "0.65", ["param.threshold_mark"] = "0.35", ["post.min_object_size"] = "33" };
            Checkpoint.Save(source, loaded.Net, loaded.Info with
            {
                Configuration = loaded.Info.Configuration.Where(kv => !tuned.ContainsKey(kv.Key)).Concat(tuned).ToList(),
                MedianDiameter = 21.5,
            });
            loaded.Net.Dispose();

            // Fine-tuning with the default configuration (normalize = channel there) and one key set by the user.
            var fineTune = SyntheticNuclei.TinyRun(epochs: 1).Concat([$"train.init_from={source}", "param.threshold_mark=0.45"]);
            var run = Train(data, Path.Combine(root, "fine"), fineTune);
            string result = run.CurrentCheckpoint!;
            Assert.Equal("0.65", Saved(result, "param.threshold"));
            Assert.Equal("33", Saved(result, "post.min_object_size"));
            Assert.Equal("percentile", Saved(result, "pre.normalize"));
            Assert.Equal("0.45", Saved(result, "param.threshold_mark"));   // the user's value wins
            Assert.Equal(21.5, Checkpoint.ReadInfo(result).Info.MedianDiameter);

            // The run had validation images, so its best checkpoint was re-tuned on them and records that measurement.
            var best = Checkpoint.ReadInfo(run.BestCheckpoint!).Info;
            Assert.NotNull(best.Evaluation);
            Assert.Contains("re-tuned at the end", best.Evaluation!.Command);
            Assert.True(best.Evaluation.Images > 0);
            Assert.True(double.IsFinite(best.Evaluation.MeanAp));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void InitFromAloneFineTunesTheSourcesArchitectureOnFewerImagesThanABatch()
    {
        string root = SyntheticNuclei.TempDir("inherit-arch");
        try
        {
            // A source of another architecture and options than config/default.ini's (caunet, width 4, 32² crops, batch 2).
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            var tiny = SyntheticNuclei.TinyRun(epochs: 1).Select(o => o.Replace("camunet", "caunet")).ToArray();
            string source = Train(data, Path.Combine(root, "source"), tiny).CurrentCheckpoint!;

            // One corrected image, and nothing but init_from about the model: as the page's retrain command does it.
            string one = SyntheticNuclei.Create(Path.Combine(root, "one"), count: 1, seed: 9);
            var run = Train(one, Path.Combine(root, "fine"), [$"train.init_from={source}", "train.n_epoch=1", "train.warmup_epochs=0.0",
                "dataset.cv_ratio=0", "train.n_thread=1", "train.fail_if_unlearned=False"]);
            var info = Checkpoint.ReadInfo(run.CurrentCheckpoint!).Info;
            Assert.Equal("caunet", Saved(run.CurrentCheckpoint!, "param.model"));
            Assert.Equal("4", Saved(run.CurrentCheckpoint!, "caunet.base_width"));
            Assert.Equal("32", Saved(run.CurrentCheckpoint!, "param.width"));
            Assert.Equal(1, run.LastEpoch);
            Assert.Equal(25L, info.Step);   // one epoch of 25 batches of crops of the one image, not an epoch without a step
        }
        finally { Directory.Delete(root, true); }
    }
}
