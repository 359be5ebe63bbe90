using Nuclei.Core.Data;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Safety;

/// <summary>One unreadable sample folder of a DSB-layout dataset fails that sample, not the scan or the run.</summary>
public sealed class BadSampleFolderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-badsample-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Two good samples, one with an empty images folder, one whose images folder is a link to itself.</summary>
    string DatasetWithTwoBadSamples()
    {
        string root = Path.Combine(dir, "set");
        var images = SyntheticImages.Write(Path.Combine(dir, "plain"), 2);
        foreach (string image in images)
        {
            string id = Path.GetFileNameWithoutExtension(image);
            Directory.CreateDirectory(Path.Combine(root, id, "images"));
            File.Copy(image, Path.Combine(root, id, "images", id + ".png"));
        }
        Directory.CreateDirectory(Path.Combine(root, "empty", "images"));
        Directory.CreateDirectory(Path.Combine(root, "loop"));
        File.CreateSymbolicLink(Path.Combine(root, "loop", "images"), Path.Combine(root, "loop", "images"));
        return root;
    }

    [Fact]
    public void The_scan_keeps_every_sample_and_names_the_problem_of_the_bad_ones()
    {
        var samples = DsbDataset.Scan(DatasetWithTwoBadSamples()).Samples;

        Assert.Equal(["empty", "img00", "img01", "loop"], samples.Select(s => s.Id));
        Assert.Equal("no image file in this images folder", samples.Single(s => s.Id == "empty").Problem);
        Assert.Contains("dangling or looping", samples.Single(s => s.Id == "loop").Problem);
        Assert.All(samples.Where(s => s.Id.StartsWith("img")), s => Assert.Null(s.Problem));
    }

    [Fact]
    public void Segment_writes_the_good_samples_lists_the_bad_ones_and_exits_1()
    {
        string outDir = Path.Combine(dir, "out");
        var (exit, err) = KillAndDiskFullTests.RunCli(["segment", DatasetWithTwoBadSamples(), "--out", outDir, "--method", "classical"]);

        Assert.Equal(1, exit);
        Assert.Contains("2 of 4 item(s) failed", err);
        Assert.Contains("empty/images: no image file in this images folder", err);
        Assert.Contains("loop/images: is a link to", err);
        Assert.Equal(2, Directory.EnumerateFiles(outDir, "*.labels.png").Count());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(outDir, "summary.csv")).Length);
    }

    [Fact]
    public void Training_data_loading_skips_the_bad_samples_with_a_warning_naming_them()
    {
        var warnings = new List<string>();
        var samples = DsbDataset.Scan(DatasetWithTwoBadSamples()).Samples;

        var loaded = TrainingData.Load(samples, csv: null, groupColumn: "kind", minObjectSize: 0, warnings.Add);

        Assert.Empty(loaded); // the good ones have no masks either: each is skipped with its own reason
        Assert.Contains(warnings, w => w.Contains("empty") && w.Contains("no image file") && w.EndsWith("skipped"));
        Assert.Contains(warnings, w => w.Contains("loop") && w.Contains("dangling or looping"));
    }
}
