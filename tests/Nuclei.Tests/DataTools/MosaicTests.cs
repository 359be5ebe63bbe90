using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Mosaics;
using Nuclei.Core.Data.Splitting;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.DataTools;

public sealed class MosaicTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-mosaic-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Plans_use_each_image_once_within_its_group()
    {
        var items = Enumerable.Range(0, 9).Select(i => new SplitItem($"a{i}", "k", "g1"))
            .Concat(Enumerable.Range(0, 4).Select(i => new SplitItem($"b{i}", "k", "g2"))).ToList();
        var plan = MosaicPlan.Of(items, seed: 5);
        Assert.Equal(3, plan.Count); // 9 → 2 mosaics (1 left over), 4 → 1
        Assert.Equal(12, plan.SelectMany(m => m).Distinct().Count());
        Assert.All(plan, m => Assert.Single(m.Select(id => id[0]).Distinct()));
        Assert.Equal(plan, MosaicPlan.Of(items, seed: 5));
    }

    [Fact]
    public void Labels_of_later_tiles_follow_those_of_earlier_ones()
    {
        LabelImage Tile(int nuclei) { var t = new LabelImage(4, 5); for (int k = 1; k <= nuclei; k++) t[k - 1, k - 1] = k; return t; }
        var m = MosaicBuilder.Labels(new[] { Tile(2), Tile(1), Tile(0), Tile(3) });
        Assert.Equal((8, 10), (m.Height, m.Width));
        Assert.Equal(new[] { 1, 2 }, new[] { m[0, 0], m[1, 1] });
        Assert.Equal(3, m[0, 5]);
        Assert.Equal(new[] { 4, 5, 6 }, new[] { m[4, 5], m[5, 6], m[6, 7] });
    }

    [Fact]
    public void Assembles_mosaics_that_load_as_a_dataset()
    {
        var ds = new PlantedDataset(Path.Combine(dir, "set"));
        for (int i = 0; i < 5; i++) { ds.Image($"s{i}", background: (byte)(10 + i)); ds.Box($"s{i}", "a", 2, 2, 6, 6); ds.Box($"s{i}", "b", 12, 12, 6, 6); }
        string outDir = Path.Combine(dir, "mosaics");
        int exit = new RootCommand { DataCommand.Create() }.Parse(new[] { "data", "mosaic", ds.Root, "--out", outDir }).Invoke();

        Assert.Equal(0, exit);
        var sample = DsbDataset.Load(DsbDataset.Scan(outDir).Samples.Single());
        Assert.Equal((2 * PlantedDataset.H, 2 * PlantedDataset.W), (sample.Image.Height, sample.Image.Width));
        Assert.Equal(8, sample.Labels.MaxLabel());
        var row = File.ReadAllLines(Path.Combine(outDir, DataMosaicCommand.CsvName))[1].Split(',');
        Assert.Equal(6, row.Length);
        float TopRight = sample.Image[0, PlantedDataset.W];
        Assert.Equal((10 + int.Parse(row[3][1..])) / 255f, TopRight, 5); // the top-right tile is the third id of the row
    }
}
