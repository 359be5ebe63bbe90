using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Tests.Core;

public sealed class DataTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-data-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static unsafe void WriteGray8(string path, int h, int w, Func<int, int, byte> value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mat = new Mat(h, w, MatType.CV_8UC1);
        var span = new Span<byte>((void*)mat.Data, h * w);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) span[y * w + x] = value(y, x);
        Assert.True(Cv2.ImWrite(path, mat));
    }

    string MakeSample(string id, int h = 8, int w = 10)
    {
        string root = Path.Combine(dir, "ds");
        WriteGray8(Path.Combine(root, id, "images", id + ".png"), h, w, (y, x) => (byte)(y * 10 + x));
        return root;
    }

    [Fact]
    public void DsbLayoutLoadsMasksIntoLabelsCountingOverlaps()
    {
        string root = MakeSample("a");
        string masks = Path.Combine(root, "a", "masks");
        WriteGray8(Path.Combine(masks, "m1.png"), 8, 10, (y, x) => (byte)(x < 4 ? 255 : 0));
        WriteGray8(Path.Combine(masks, "m2.png"), 8, 10, (y, x) => (byte)(x >= 3 && x < 6 ? 255 : 0)); // overlaps column 3
        WriteGray8(Path.Combine(masks, "m3.png"), 8, 10, (y, x) => 0); // empty
        MakeSample("b"); // no masks folder

        var ds = DsbDataset.Scan(root);
        Assert.Equal(new[] { "a", "b" }, ds.Samples.Select(s => s.Id));
        Assert.Equal(3, ds.Samples[0].MaskPaths.Count);
        Assert.False(ds.Samples[1].HasAnnotation);

        var a = DsbDataset.Load(ds.Samples[0]);
        Assert.Equal(8, a.OverlapPixels);
        Assert.Equal(1, a.EmptyMasks);
        Assert.Equal(2, a.Labels.MaxLabel());
        Assert.Equal(1, a.Labels[0, 2]);
        Assert.Equal(2, a.Labels[0, 3]); // later mask wins
        Assert.Equal(0, a.Labels[0, 6]);
        Assert.Equal(a.Labels.Data, DsbDataset.LoadLabels(ds.Samples[0]).Data);
        Assert.Equal(0, DsbDataset.Load(ds.Samples[1]).Labels.MaxLabel());
    }

    [Fact]
    public void MaskOfWrongSizeIsAnErrorNamingTheMask()
    {
        string root = MakeSample("a");
        WriteGray8(Path.Combine(root, "a", "masks", "small.png"), 4, 4, (y, x) => 255);
        var e = Assert.Throws<NucleiInputException>(() => DsbDataset.Load(DsbDataset.Scan(root).Samples[0]));
        Assert.Contains("small.png", e.Message);
        Assert.Contains("4x4", e.Message);
        Assert.Contains("8x10", e.Message);
    }

    [Fact]
    public void NonBinaryMaskIsAnErrorNamingTheMask()
    {
        string root = MakeSample("a");
        WriteGray8(Path.Combine(root, "a", "masks", "grey.png"), 8, 10, (y, x) => (byte)(x * 20));
        var e = Assert.Throws<NucleiInputException>(() => DsbDataset.Load(DsbDataset.Scan(root).Samples[0]));
        Assert.Contains("grey.png", e.Message);
        Assert.Contains("not binary", e.Message);
    }

    [Fact]
    public void UnreadableMaskIsAnErrorNamingTheMask()
    {
        string root = MakeSample("a");
        Directory.CreateDirectory(Path.Combine(root, "a", "masks"));
        File.WriteAllText(Path.Combine(root, "a", "masks", "junk.png"), "junk");
        var e = Assert.Throws<NucleiInputException>(() => DsbDataset.Load(DsbDataset.Scan(root).Samples[0]));
        Assert.Contains("junk.png", e.Message);
    }

    [Fact]
    public void FlatLabelledFolderPairsImagesWithLabelMaps()
    {
        string root = Path.Combine(dir, "flat");
        WriteGray8(Path.Combine(root, "x.png"), 5, 5, (y, x) => 9);
        WriteGray8(Path.Combine(root, "y.png"), 5, 5, (y, x) => 9);
        ImageIO.WriteLabels(Path.Combine(root, "x.labels.png"), new LabelImage(5, 5, Enumerable.Repeat(3, 25).ToArray()));
        var ds = DsbDataset.Scan(root);
        Assert.Equal(new[] { "x", "y" }, ds.Samples.Select(s => s.Id));
        Assert.True(ds.Samples[0].HasAnnotation);
        Assert.False(ds.Samples[1].HasAnnotation);
        Assert.Equal(3, DsbDataset.Load(ds.Samples[0]).Labels[2, 2]);
    }

    [Fact]
    public void CollectorAcceptsFilesPlainFoldersAndDsbLayouts()
    {
        string dsb = MakeSample("s1");
        MakeSample("s2");
        string plain = Path.Combine(dir, "plain");
        WriteGray8(Path.Combine(plain, "b.png"), 4, 4, (y, x) => 1);
        WriteGray8(Path.Combine(plain, "a.tif"), 4, 4, (y, x) => 1);
        WriteGray8(Path.Combine(plain, "a.overlay.png"), 4, 4, (y, x) => 1);
        WriteGray8(Path.Combine(plain, "b.labels.png"), 4, 4, (y, x) => 1);
        File.WriteAllText(Path.Combine(plain, "notes.txt"), "x");
        string single = Path.Combine(dir, "single.bmp");
        WriteGray8(single, 4, 4, (y, x) => 1);

        var items = InputCollector.Collect(new[] { dsb, plain, single });
        Assert.Equal(new[] { "s1", "s2", "a", "b", "single" }, items.Select(i => i.Id));

        var one = InputCollector.Collect(new[] { Path.Combine(dsb, "s2") });
        Assert.Equal("s2", Assert.Single(one).Id);
    }

    [Fact]
    public void CollectorRejectsMissingNonImagesEmptyFoldersAndDuplicateIds()
    {
        Assert.Contains("no such file", Assert.Throws<NucleiInputException>(() => InputCollector.Collect(new[] { Path.Combine(dir, "nope") })).Message);
        string txt = Path.Combine(dir, "t.txt");
        File.WriteAllText(txt, "x");
        Assert.Contains("not an image", Assert.Throws<NucleiInputException>(() => InputCollector.Collect(new[] { txt })).Message);
        string empty = Directory.CreateDirectory(Path.Combine(dir, "empty")).FullName;
        Assert.Contains("no images", Assert.Throws<NucleiInputException>(() => InputCollector.Collect(new[] { empty })).Message);
        string p1 = Path.Combine(dir, "d1", "same.png"), p2 = Path.Combine(dir, "d2", "same.png");
        WriteGray8(p1, 2, 2, (y, x) => 0);
        WriteGray8(p2, 2, 2, (y, x) => 0);
        var dup = Assert.Throws<NucleiInputException>(() => InputCollector.Collect(new[] { p1, p2 }));
        Assert.Contains("same", dup.Message);
    }

    [SkippableFact]
    public void SharedTrainingSetScansAndASampleLoads()
    {
        string root = TestData.RequireStage1Train();
        var ds = DsbDataset.Scan(root);
        Assert.Equal(664, ds.Samples.Count);
        Assert.Equal(28986, ds.Samples.Sum(s => s.MaskPaths.Count));
        var first = DsbDataset.Load(ds.Samples[0]);
        Assert.Equal(3, first.Image.Channels); // RGBA on disk, alpha dropped
        Assert.Equal(ds.Samples[0].MaskPaths.Count, first.Labels.MaxLabel());
    }
}
