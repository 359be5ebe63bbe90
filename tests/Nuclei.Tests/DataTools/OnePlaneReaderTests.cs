using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Checking;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Metrics;
using Nuclei.Tests.Inputs;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.DataTools;

/// <summary>
/// The readers that take one plane per file (data check, data describe, evaluate) refuse a file of several channels,
/// z planes or pages, as segment does without --channel/--z, instead of reading its page 1; and data check names the
/// file of a problem once.
/// </summary>
public sealed class OnePlaneReaderTests : IDisposable
{
    const int H = 16, W = 20;
    const string OnePlane = "this command reads one plane per file and does not guess which";
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-oneplane-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static ushort[] Square(ushort value) =>
        Enumerable.Range(0, H * W).Select(i => i / W is >= 4 and < 10 && i % W is >= 4 and < 10 ? value : (ushort)0).ToArray();

    /// <summary>A DSB-layout sample "cells" whose image is a two-channel OME-TIFF, with one mask.</summary>
    string TwoChannelSample(out string image)
    {
        var ds = new PlantedDataset(Path.Combine(dir, "set"));
        ds.Mask("cells", "a", (y, x) => (byte)(y is >= 4 and < 10 && x is >= 4 and < 10 ? 255 : 0), H, W);
        Directory.CreateDirectory(Path.Combine(ds.Root, "cells", "images"));
        image = TestTiffs.Write(Path.Combine(ds.Root, "cells", "images", "cells.tif"), H, W, [Square(900), Square(3000)],
            TestTiffs.OmeXml(H, W, 2, 1, names: ["GFP", "DAPI"]));
        return ds.Root;
    }

    [Fact]
    public void Every_file_reader_refuses_several_planes_with_what_the_file_holds_and_reads_one_plane()
    {
        string stack = TestTiffs.Write(Path.Combine(dir, "stack.ome.tif"), H, W, [Square(1), Square(2), Square(3)], TestTiffs.OmeXml(H, W, 1, 3));
        string pages = TestTiffs.Write(Path.Combine(dir, "pages.tif"), H, W, [Square(1), Square(2)]);
        string single = TestTiffs.Write(Path.Combine(dir, "single.tif"), H, W, [Square(7)]);

        var e = Assert.Throws<NucleiInputException>(() => ImageIO.ReadImage(stack));
        Assert.Equal($"{stack}: 3 z planes; {OnePlane}: save the plane to use as a file of its own (nuclei segment chooses one with --channel and --z)", e.Message);
        e = Assert.Throws<NucleiInputException>(() => ImageIO.ReadLabels(pages));
        Assert.StartsWith($"{pages}: 2 pages without OME or ImageJ metadata; {OnePlane}", e.Message);
        Assert.Equal(7, ImageIO.ReadLabels(single).Data.Max());
        // segment still asks for its choice, and reads the page chosen
        Assert.Contains("2 pages without OME or ImageJ metadata; choose one with PlaneChoice.Channel N (pages as channels)",
            Assert.Throws<NucleiInputException>(() => MultiPlaneImage.Read(new InputImage("p", pages), PlaneChoice.Default)).Message);
        Assert.Equal(2f / 65535, MultiPlaneImage.Read(new InputImage("p", pages), new PlaneChoice(Channel: "2")).Data.Max(), 6);
    }

    [Fact]
    public void Data_check_reports_a_two_channel_image_as_unreadable_naming_it_once()
    {
        string root = TwoChannelSample(out string image);
        var problem = SampleChecker.Check(DsbDataset.Scan(root).Samples.Single(), minSize: 10).Problems.Single();
        Assert.Equal((ProblemKind.Unreadable, image), (problem.Kind, problem.File));
        Assert.StartsWith($"2 channels (GFP, DAPI); {OnePlane}", problem.Detail);

        var run = RunCli("data", "check", root);
        Assert.Equal(1, run.Exit);
        string line = run.Out.Split('\n').Single(l => l.StartsWith("unreadable:", StringComparison.Ordinal));
        Assert.StartsWith($"unreadable: {image}: 2 channels (GFP, DAPI); {OnePlane}", line);
        Assert.Equal(1, Occurrences(line, image));
    }

    [Fact]
    public void Data_check_names_the_file_of_a_mask_it_cannot_read_once()
    {
        var ds = new PlantedDataset(Path.Combine(dir, "junk"));
        ds.Image("cells"); ds.Box("cells", "a", 2, 2, 8, 8);
        string junk = Path.Combine(ds.Root, "cells", "masks", "b.png");
        File.WriteAllBytes(junk, [1, 2, 3, 4, 5, 6, 7, 8]);
        var run = RunCli("data", "check", ds.Root);
        string line = run.Out.Split('\n').Single(l => l.StartsWith("unreadable:", StringComparison.Ordinal));
        Assert.StartsWith($"unreadable: {junk}: ", line);
        Assert.Equal(1, Occurrences(line, junk));
    }

    [Fact]
    public void Data_describe_refuses_a_two_channel_image()
    {
        string root = TwoChannelSample(out string image);
        var run = RunCli("data", "describe", root);
        Assert.NotEqual(0, run.Exit);
        Assert.Contains($"{image}: 2 channels (GFP, DAPI); {OnePlane}", run.Out + run.Err);
    }

    [Fact]
    public void Evaluate_refuses_a_label_stack_against_a_2d_truth_instead_of_scoring_its_first_page()
    {
        string truth = Path.Combine(dir, "truth"), pred = Path.Combine(dir, "pred");
        Directory.CreateDirectory(truth); Directory.CreateDirectory(pred);
        var labels = new LabelImage(H, W, Square(1).Select(v => (int)v).ToArray());
        ImageIO.WriteLabels(Path.Combine(truth, "x.labels.png"), labels);
        string stack = TestTiffs.Write(Path.Combine(pred, "x.tif"), H, W, [Square(1), Square(1)]); // page 1 alone would score 1.0

        var e = Assert.Throws<NucleiInputException>(() => Evaluation.Run(truth, pred));
        Assert.StartsWith($"{stack}: a 3D label stack, but the truth for 'x' is a 2D label map", e.Message);
    }

    static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
