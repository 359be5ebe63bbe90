using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Tests.Inputs;

/// <summary>--recursive and --pattern: which images a folder gives, their ids, and outputs that mirror the folder.</summary>
public sealed class FolderInputTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-folders-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Input => Path.Combine(dir, "in");

    /// <summary>A gray picture with two bright discs (nuclei for the classical segmenter).</summary>
    void Image(string relative)
    {
        string path = Path.Combine(Input, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mat = new Mat(48, 48, MatType.CV_8UC1, Scalar.All(10));
        Cv2.Circle(mat, new Point(12, 12), 6, Scalar.All(220), -1);
        Cv2.Circle(mat, new Point(34, 32), 7, Scalar.All(220), -1);
        Cv2.ImWrite(path, mat);
    }

    void Layout()
    {
        Image("top.png");
        Image("a/one.png");
        Image("a/b/two.tif");
        Image("a/b/skip.jpg");
        Image(".hidden/no.png");
        Image("c/sample/images/sample.png"); // a DSB sample folder inside
        Directory.CreateDirectory(Path.Combine(Input, "c", "sample", "masks"));
        Image("old-run/x.png");                 // an earlier nuclei output folder inside the input
        Directory.CreateDirectory(Path.Combine(Input, "old-run", ".nuclei-records"));
    }

    /// <summary>`segment IN --out OUT --method classical` with the folder scan given.</summary>
    SegmentCommand.SegmentSettings Classical(string outDir, FolderScan folders) =>
        new([Input], outDir, Segmenter: new() { Method = SegmentationMethod.Classical }, Folders: folders);

    static string[] Ids(IReadOnlyList<InputImage> items) => items.Select(i => i.Id).ToArray();

    [Fact]
    public void A_recursive_scan_names_images_by_relative_path_and_skips_hidden_and_output_folders()
    {
        Layout();
        Assert.Equal(["top"], Ids(InputCollector.Collect([Input])));
        Assert.Equal(["top", "a/one", "a/b/skip", "a/b/two", "c/sample"], Ids(InputCollector.Collect([Input], new FolderScan(Recursive: true))));
    }

    [Fact]
    public void Patterns_keep_only_matching_images()
    {
        Layout();
        Assert.Equal(["a/b/two"], Ids(InputCollector.Collect([Input], new FolderScan(true, ["*.tif"]))));
        Assert.Equal(["top", "a/one", "a/b/two", "c/sample"], Ids(InputCollector.Collect([Input], new FolderScan(true, ["*.TIF", "*.png"]))));
        Assert.Equal(["a/one"], Ids(InputCollector.Collect([Input], new FolderScan(true, ["a/*.png"]))));
        var e = Assert.Throws<NucleiInputException>(() => InputCollector.Collect([Input], new FolderScan(false, ["*.tif"])));
        Assert.Contains("no image matching *.tif (add --recursive to search sub-folders)", e.Message);
    }

    [Fact]
    public void Segment_recursive_mirrors_the_folders_and_ids_in_the_summary()
    {
        Layout();
        string outDir = Path.Combine(dir, "out");
        var settings = Classical(outDir, new FolderScan(Recursive: true, ["*.png", "*.tif"]));
        Assert.Equal(0, SegmentCommand.Run(settings));
        foreach (string id in new[] { "top", "a/one", "a/b/two", "c/sample" })
        {
            Assert.Equal(2, ImageIO.ReadLabels(Path.Combine(outDir, id + ".labels.png")).MaxLabel());
            Assert.True(File.Exists(Path.Combine(outDir, id + ".overlay.png")), id);
        }
        Assert.False(File.Exists(Path.Combine(outDir, "a", "b", "skip.labels.png")));
        var summary = File.ReadAllLines(Path.Combine(outDir, "summary.csv"));
        Assert.Equal(["image,nuclei,mean_area_px", "a/b/two", "a/one", "c/sample", "top"], summary.Select((l, k) => k == 0 ? l : l.Split(',')[0]));

        // --resume finds them complete; evaluate reads the nested label maps by the same ids
        Assert.Equal(0, SegmentCommand.Run(settings with { Resume = true }));
        Assert.Equal(["a/b/two", "a/one", "c/sample", "top"], LabelSources.OpenPredictions(outDir).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Segment_recursive_into_its_own_input_folder_never_reads_its_outputs_back()
    {
        Image("a/one.png");
        var settings = Classical(Input, new FolderScan(Recursive: true)) with { Outputs = new Nuclei.Core.Output.OutputOptions(Report: true) };
        Assert.Equal(0, SegmentCommand.Run(settings));
        Assert.Equal(["a/one"], Ids(InputCollector.Collect([Input], new FolderScan(Recursive: true))));
        Assert.Equal(0, SegmentCommand.Run(settings));
        Assert.True(File.Exists(Path.Combine(Input, "a", "one.labels.png")));
    }
}
