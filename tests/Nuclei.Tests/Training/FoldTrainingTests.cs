using System.CommandLine;
using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Training;

[Collection("torch-training")]
public class FoldTrainingTests
{
    /// <summary>Two acquisitions (images of two sizes), so a grouped 2-fold split has one in each fold.</summary>
    static string TwoAcquisitions(string dir)
    {
        SyntheticNuclei.Create(dir, count: 2, size: 48, seed: 1, prefix: "s");
        SyntheticNuclei.Create(dir, count: 2, size: 64, seed: 2, prefix: "l");
        return dir;
    }

    static int Train(params string[] args) => new RootCommand { TrainCommand.Create() }.Parse(["train", .. args]).Invoke();

    [Fact]
    public void Train_folds_trains_each_fold_resumably_and_writes_an_ensemble_that_loads()
    {
        string root = SyntheticNuclei.TempDir("folds");
        try
        {
            string data = TwoAcquisitions(Path.Combine(root, "data")), outDir = Path.Combine(root, "out");
            string[] tiny = SyntheticNuclei.TinyRun(epochs: 2);
            Assert.Equal(0, Train(["--data", data, "--out", outDir, "--folds", "2", "--split-only", .. tiny]));
            var folds = FoldTraining.FoldFolders(Path.Combine(outDir, "split"), 2);   // the split `data split --folds 2` makes
            Assert.All(folds, f => Assert.Equal(2, Directory.GetFiles(Path.Combine(f, "train"), "*.labels.png").Length));

            // One epoch of each fold, as if stopped there; then --resume continues both to n_epoch.
            var config = ConfigurationLoader.Load(null, tiny);
            FoldTraining.Run(folds, new TrainingRequest(data, outDir, config) { StopAfterEpochs = 1 }, new PlainTrainingObserver(TextWriter.Null));
            Assert.Equal(0, Train(["--data", data, "--out", outDir, "--folds", "2", "--resume", .. tiny]));
            foreach (int k in new[] { 1, 2 })
                Assert.Equal(3, File.ReadAllLines(Path.Combine(outDir, $"fold-{k}", "log.csv")).Length);   // header + epochs 1 and 2

            string ensemble = Path.Combine(outDir, FoldTraining.EnsembleFileName);
            var members = ModelReference.Expand([ensemble]);
            Assert.Equal(new[] { 1, 2 }.Select(k => Path.Combine(outDir, $"fold-{k}", "best.nck")), members.Select(m => m.Path));
            var models = CheckpointModels.LoadAll([ensemble]);
            Assert.Equal(2, models.Count);
            foreach (var m in models) m.Dispose();

            // --data may be the split itself; the fold count must match.
            Assert.Contains("holds 2 fold folder(s)", Assert.Throws<NucleiInputException>(() => FoldTraining.FoldFolders(Path.Combine(outDir, "split"), 3)).Message);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void Resume_without_any_fold_checkpoint_is_refused()
    {
        string root = SyntheticNuclei.TempDir("folds-resume");
        try
        {
            var config = ConfigurationLoader.Load(null, SyntheticNuclei.TinyRun(epochs: 1));
            var request = new TrainingRequest("unused", Path.Combine(root, "out"), config, ResumeMode.Resume);
            var e = Assert.Throws<NucleiInputException>(() => FoldTraining.Run([root, root], request, new PlainTrainingObserver(TextWriter.Null)));
            Assert.Contains("no fold has a checkpoint", e.Message);
        }
        finally { Directory.Delete(root, true); }
    }
}
