using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Nuclei.Cli.Commands;
using Nuclei.Core.Output;
using Nuclei.Tests.DataTools;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Cli;

/// <summary>`nuclei segment` with its stages overlapped writes exactly what it writes with them one after the other.</summary>
public sealed class OverlappedSegmentTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-overlap-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>The repository's samples (with their masks) plus an unreadable image and one whose mask is of another size.</summary>
    string DatasetWithBadImages()
    {
        string root = Path.Combine(dir, "data");
        foreach (string sample in Directory.EnumerateDirectories(TestData.SamplesDir).Where(d => Directory.Exists(Path.Combine(d, "images"))))
            CopyFolder(sample, Path.Combine(root, Path.GetFileName(sample)));
        var planted = new PlantedDataset(root);
        planted.Image("wrongsize");
        planted.Mask("wrongsize", "m", (y, x) => (byte)(y < 4 && x < 4 ? 255 : 0), h: 20, w: 20);
        Directory.CreateDirectory(Path.Combine(root, "broken", "images"));
        File.WriteAllBytes(Path.Combine(root, "broken", "images", "broken.png"), [1, 2, 3, 4]);
        planted.Box("broken", "m", 2, 2, 5, 5);
        return root;
    }

    static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Runs the command both ways into two folders of the same name (the report names it); returns their exit codes and paths.</summary>
    (int Sequential, int Overlapped, string SequentialDir, string OverlappedDir) BothWays(SegmentCommand.SegmentSettings settings)
    {
        string one = Path.Combine(dir, "sequential", "out"), two = Path.Combine(dir, "overlapped", "out");
        int a = SegmentCommand.Run(settings with { OutDir = one, Csv = Path.Combine(one, "submission.csv"), Overlap = false });
        int b = SegmentCommand.Run(settings with { OutDir = two, Csv = Path.Combine(two, "submission.csv"), Overlap = true });
        return (a, b, one, two);
    }

    static void AssertSameFiles(string expected, string actual, Func<string, bool>? compared = null, Func<string, string, string>? normalise = null)
    {
        List<string> Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        var names = Files(expected);
        Assert.Equal(names, Files(actual));
        foreach (string name in names.Where(compared ?? (_ => true)))
        {
            string a = Content(Path.Combine(expected, name)), b = Content(Path.Combine(actual, name));
            if (name == RunRecordFile.FileName) (a, b) = (WithoutRunIdentity(a), WithoutRunIdentity(b));
            if (normalise is not null) (a, b) = (normalise(name, a), normalise(name, b));
            Assert.True(a == b, $"{name} differs");
        }
    }

    /// <summary>run.json less what tells one run from another: its id and its times.</summary>
    static string WithoutRunIdentity(string json) => Regex.Replace(json, @"""(id|started|finished)"": ""[^""]*""", "$1");

    /// <summary>
    /// A file's bytes (as Latin-1 text, so HTML can be edited); a zip's entry names and bytes, as ZipArchive stamps
    /// each entry with the time it was written (two sequential runs differ there too).
    /// </summary>
    static string Content(string path)
    {
        if (!path.EndsWith(".zip", StringComparison.Ordinal)) return Encoding.Latin1.GetString(File.ReadAllBytes(path));
        using var zip = ZipFile.OpenRead(path);
        return string.Concat(zip.Entries.Select(e =>
        {
            using var data = new MemoryStream();
            using (var entry = e.Open()) entry.CopyTo(data);
            return e.FullName + ":" + Convert.ToBase64String(data.ToArray()) + "\n";
        }));
    }

    [Fact]
    public void Classical_outputs_exports_measurements_and_failures_are_the_same_both_ways()
    {
        string data = DatasetWithBadImages();
        var settings = new SegmentCommand.SegmentSettings([data], "", Segmenter: new() { Method = SegmentationMethod.Classical }, Truth: data,
            Outputs: new OutputOptions(Measure: true, Exports: ExportFormat.GeoJson | ExportFormat.ImageJRoi | ExportFormat.Tiff));
        var run = BothWays(settings);

        Assert.Equal((1, 1), (run.Sequential, run.Overlapped));
        AssertSameFiles(run.SequentialDir, run.OverlappedDir);
        foreach (string id in new[] { "broken", "wrongsize" })
            Assert.False(File.Exists(Path.Combine(run.OverlappedDir, OutputLayout.LabelsFileName(id))), id);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(run.OverlappedDir, "summary.csv")).Length); // header and the 4 samples
    }

    [Fact]
    public void The_report_is_the_same_both_ways_but_for_the_times()
    {
        string data = DatasetWithBadImages();
        var settings = new SegmentCommand.SegmentSettings([data], "", Segmenter: new() { Method = SegmentationMethod.Classical }, Truth: data, Outputs: new OutputOptions(Report: true));
        var run = BothWays(settings);

        Assert.Equal((1, 1), (run.Sequential, run.Overlapped));
        // The image records keep each image's time for the report; the report shows the mean time and the slowest images.
        AssertSameFiles(run.SequentialDir, run.OverlappedDir, name => !name.StartsWith(ImageRecords.FolderName, StringComparison.Ordinal),
            (name, text) => name.EndsWith(".html", StringComparison.Ordinal) ? WithoutTimes(text) : text);
        string report = File.ReadAllText(Path.Combine(run.OverlappedDir, "report.html"));
        Assert.Contains("broken.png", report);
        Assert.Contains("wrongsize", report);
    }

    static string WithoutTimes(string html) =>
        Regex.Replace(Regex.Replace(html, @"<h2>Slowest images</h2><table>.*?</table>", "", RegexOptions.Singleline),
            @"<tr><th>time per image \(mean, s\)</th><td>[^<]*</td></tr>", "");

    [SkippableFact]
    public void The_bundled_model_writes_the_same_labels_maps_and_submission_both_ways()
    {
        Skip.If(DefaultModel.Locate() is null, "the bundled model models/default.nck is missing; skipped");
        var settings = new SegmentCommand.SegmentSettings([TestData.SamplesDir], "", SaveMaps: true,
            Outputs: new OutputOptions(Measure: true));
        var run = BothWays(settings);

        Assert.Equal((0, 0), (run.Sequential, run.Overlapped));
        AssertSameFiles(run.SequentialDir, run.OverlappedDir);
        Assert.True(Directory.EnumerateFiles(Path.Combine(run.OverlappedDir, "maps"), "*.png", SearchOption.AllDirectories).Count() >= 4);
    }
}
