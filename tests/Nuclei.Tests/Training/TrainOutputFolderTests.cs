using System.Text.Json;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.Training;

/// <summary>
/// `nuclei train` and its output folder: a folder holding a run needs --resume or --overwrite (which moves the old run
/// aside), and a run without validation images still writes best.nck (the last epoch) unless validation was asked for.
/// </summary>
[Collection("torch-training")]
public sealed class TrainOutputFolderTests : IDisposable
{
    readonly string root = SyntheticNuclei.TempDir("train-folder");

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>One epoch of the tiny test network; four images, so the default cv_ratio 0.1 holds none out.</summary>
    static string[] Train(string data, string outDir, params string[] extra) =>
        ["train", "--data", data, "--out", outDir, .. SyntheticNuclei.TinyRun(epochs: 1).Where(o => !o.StartsWith("dataset.cv_ratio")), .. extra];

    static void AssertExit(int expected, (int Exit, string Out, string Err) run, string what) =>
        Assert.True(run.Exit == expected, $"{what}: exit {run.Exit}, expected {expected}\nstdout: {run.Out}\nstderr: {run.Err}");

    [Fact]
    public void A_folder_holding_a_run_needs_resume_or_overwrite()
    {
        string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
        string outDir = Path.Combine(root, "out");
        var first = RunCli(Train(data, outDir, "dataset.cv_ratio=0.25", "--json"));
        AssertExit(0, first, "first run");
        using (var json = JsonDocument.Parse(first.Out))
            Assert.Equal(1, json.RootElement.GetProperty("last_epoch").GetInt32());

        var again = RunCli(Train(data, outDir, "dataset.cv_ratio=0.25"));
        AssertExit(2, again, "rerun without --resume or --overwrite");
        Assert.Contains("--resume", again.Err);
        Assert.Contains("--overwrite", again.Err);

        AssertExit(0, RunCli(Train(data, outDir, "dataset.cv_ratio=0.25", "--overwrite")), "--overwrite");
        string aside = Assert.Single(Directory.GetDirectories(outDir, "previous-run-*"));
        Assert.True(File.Exists(Path.Combine(aside, "ckpt-1.nck")), "the old run's checkpoint is kept aside");
        Assert.True(File.Exists(Path.Combine(aside, "log.csv")));
        Assert.True(File.Exists(Path.Combine(outDir, "ckpt-1.nck")), "the new run's checkpoint");
        Assert.Single(File.ReadAllLines(Path.Combine(outDir, "log.csv")).Skip(1));   // the new run's one epoch only
    }

    [Fact]
    public void Resume_without_its_settings_continues_the_run_with_its_saved_configuration()
    {
        string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
        string outDir = Path.Combine(root, "out");
        AssertExit(0, RunCli(Train(data, outDir)), "first epoch");
        // only --resume and the new end: the tiny network's options come from RUN/config.ini, not config/default.ini
        var resumed = RunCli(["train", "--data", data, "--out", outDir, "--resume", "train.n_epoch=2", "--json"]);
        AssertExit(0, resumed, "--resume with no settings");
        Assert.Contains("saved configuration", resumed.Err);
        using var json = JsonDocument.Parse(resumed.Out);
        Assert.Equal(2, json.RootElement.GetProperty("last_epoch").GetInt32());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(outDir, "log.csv")).Skip(1).Count());
    }

    [Fact]
    public void Without_validation_images_best_is_the_last_epoch_unless_validation_was_asked_for()
    {
        string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
        string outDir = Path.Combine(root, "out");
        var run = RunCli(Train(data, outDir));
        AssertExit(0, run, "default cv_ratio on four images");
        Assert.Contains("0 validation images", run.Out + run.Err);
        Assert.True(File.Exists(Path.Combine(outDir, "best.nck")), "best.nck is written from the last epoch");

        var asked = RunCli(Train(data, Path.Combine(root, "asked"), "dataset.cv_ratio=0.1"));
        AssertExit(2, asked, "cv_ratio set by the user, rounding to no image");
        Assert.Contains("cv_ratio", asked.Err);
    }
}
