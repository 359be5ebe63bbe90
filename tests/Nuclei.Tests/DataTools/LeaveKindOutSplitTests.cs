using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.DataTools;

/// <summary>`data split --hold-out-kind KIND`: every image of that kind to valid/, the others to train/.</summary>
public sealed class LeaveKindOutSplitTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-kindout-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A DSB-layout sample of one colour (0..1 per channel) with one square nucleus.</summary>
    static void Sample(PlantedDataset data, string id, params float[] colour)
    {
        string path = Path.Combine(data.Root, id, "images", id + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ImageIO.WriteImage8(path, PlantedDataset.Filled(PlantedDataset.H, PlantedDataset.W, colour));
        data.Box(id, "m1", 8, 8, 10, 10);
    }

    string Dataset()
    {
        var data = new PlantedDataset(Path.Combine(dir, "data"));
        Sample(data, "fluo-a", 0.05f, 0.05f, 0.05f);
        Sample(data, "fluo-b", 0.1f, 0.1f, 0.1f);
        Sample(data, "he-a", 0.9f, 0.6f, 0.8f);
        Sample(data, "he-b", 0.85f, 0.55f, 0.75f);
        Sample(data, "grey-a", 0.8f, 0.8f, 0.8f);
        return data.Root;
    }

    static int Split(params string[] args) => new RootCommand { DataCommand.Create() }
        .Parse(new[] { "data", "split" }.Concat(args).ToArray())
        .Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

    [Fact]
    public void Every_image_of_the_kind_is_held_out_and_the_others_train()
    {
        string data = Dataset(), outDir = Path.Combine(dir, "no-colour");
        Assert.Equal(0, Split(data, "--out", outDir, "--hold-out-kind", "colour-bright"));
        string[] Ids(string side) => Directory.GetDirectories(Path.Combine(outDir, side)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(["he-a", "he-b"], Ids("valid"));
        Assert.Equal(["fluo-a", "fluo-b", "grey-a"], Ids("train"));
        Assert.True(File.Exists(Path.Combine(outDir, "valid", "he-a", "masks", "m1.png")));
        var csv = File.ReadAllLines(Path.Combine(outDir, "split.csv"));
        Assert.Equal("image_id,kind,group,set", csv[0]);
        Assert.Contains(csv, l => l.StartsWith("he-a,colour-bright,", StringComparison.Ordinal) && l.EndsWith(",valid", StringComparison.Ordinal));
        Assert.Contains(csv, l => l.StartsWith("grey-a,grey-bright,", StringComparison.Ordinal) && l.EndsWith(",train", StringComparison.Ordinal));
        Assert.Equal(6, csv.Length);
    }

    [Fact]
    public void A_kind_the_dataset_lacks_or_holds_alone_is_an_error_naming_it_and_writes_nothing()
    {
        string data = Dataset();
        string colourOnly = Path.Combine(dir, "colour");
        foreach (string id in new[] { "he-a", "he-b" })
            CopyTree(Path.Combine(data, id), Path.Combine(colourOnly, id));

        foreach (var (set, kind, expected) in new[] { (colourOnly, "fluorescence", "0 image(s) of that kind"), (colourOnly, "colour-bright", "0 of others") })
        {
            string outDir = Path.Combine(dir, "out-" + kind);
            var e = Assert.Throws<NucleiInputException>(() => Split(set, "--out", outDir, "--hold-out-kind", kind));
            Assert.StartsWith(colourOnly, e.Message);
            Assert.Contains("fill only 1 of the 2 sides asked", e.Message);
            Assert.Contains(expected, e.Message);
            Assert.False(Directory.Exists(outDir));
        }
        Assert.Contains("must be one of fluorescence, colour-bright, grey-bright",
            Assert.Throws<NucleiInputException>(() => Split(data, "--out", Path.Combine(dir, "x"), "--hold-out-kind", "purple")).Message);
        Assert.Contains("leave --folds out",
            Assert.Throws<NucleiInputException>(() => Split(data, "--out", Path.Combine(dir, "y"), "--hold-out-kind", "colour-bright", "--folds", "2")).Message);
    }

    static void CopyTree(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
