using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Cropping;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.DataTools;

public sealed class CropTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-crop-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Tiles_cover_the_image_with_the_last_ones_at_the_edge()
    {
        Assert.Equal(new[] { new Tile(0, 0, 32, 32), new Tile(0, 18, 32, 32), new Tile(8, 0, 32, 32), new Tile(8, 18, 32, 32) },
            TileGrid.Of(40, 50, 32, 20));
        Assert.Equal(new[] { 0, 20, 40, 60, 68 }, TileGrid.Of(100, 100, 32, 20).Select(t => t.Top).Distinct());
        Assert.Equal(new[] { new Tile(0, 0, 10, 12) }, TileGrid.Of(10, 12, 32, 20)); // smaller than a tile
    }

    [Fact]
    public void A_cut_nucleus_becomes_one_nucleus_per_piece_and_specks_are_dropped()
    {
        var labels = new LabelImage(20, 20);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 20; x++)
            if ((x is >= 2 and < 6 || x is >= 12 and < 16) && y < 15 || y is >= 12 and < 15 && x is >= 2 and < 16) labels[y, x] = 7; // a U
        labels[0, 19] = 3; // a speck
        var tile = TileCutter.Labels(labels, new Tile(0, 0, 10, 20), minSize: 4); // cuts off the bottom of the U
        Assert.Equal(2, tile.MaxLabel());
        Assert.Equal(1, tile[0, 2]);
        Assert.Equal(2, tile[0, 12]);
        Assert.Equal(0, tile[0, 19]);
    }

    [Fact]
    public void Crops_the_samples_into_tiles_that_load_as_a_dataset()
    {
        string outDir = Path.Combine(dir, "tiles");
        int exit = new RootCommand { DataCommand.Create() }.Parse(new[] { "data", "crop", TestData.SamplesDir, "--out", outDir, "--width", "128", "--step", "100" }).Invoke();

        Assert.Equal(0, exit);
        var rows = File.ReadAllLines(Path.Combine(outDir, DataCropCommand.CsvName)).Skip(1).Select(l => l.Split(',')).ToList();
        var tiles = DsbDataset.Scan(outDir).Samples;
        Assert.Equal(rows.Select(r => r[0]).Order(StringComparer.Ordinal), tiles.Select(t => t.Id));
        foreach (var r in rows)
        {
            var sample = DsbDataset.Load(tiles.Single(t => t.Id == r[0]));
            Assert.Equal((128, 128), (sample.Image.Height, sample.Image.Width));
            Assert.Equal(int.Parse(r[6]), sample.Labels.MaxLabel());
            Assert.Equal(0, sample.OverlapPixels);
            var original = ImageIO.ReadImage(DsbDataset.Scan(TestData.SamplesDir).Samples.Single(s => s.Id == r[1]).ImagePath);
            int top = int.Parse(r[2]), left = int.Parse(r[3]);
            Assert.Equal(original[top + 5, left + 7, 1], sample.Image[5, 7, 1]);
        }
        Assert.True(rows.Count >= 4 * 4); // every sample is at least 256x256: at least 2x2 tiles each (fewer only if empty)
    }
}
