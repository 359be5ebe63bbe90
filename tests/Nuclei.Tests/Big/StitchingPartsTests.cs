using Nuclei.Core.Big;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Big;

/// <summary>The pieces of block-wise segmentation: the block grid, assignment by centre, the stitching band and the tiled TIFF.</summary>
public class StitchingPartsTests
{
    [Theory]
    [InlineData(1000, 700, 256, 32)]
    [InlineData(256, 256, 256, 0)]
    [InlineData(5, 300, 64, 64)]
    public void Block_cores_tile_the_image_once_and_windows_stay_inside(int height, int width, int size, int context)
    {
        var plan = BlockPlan.Of(height, width, size, context);
        var cover = new int[height * width];
        foreach (var block in plan.Rows.SelectMany(r => r))
        {
            for (int y = block.Core.Y; y < block.Core.Bottom; y++)
                for (int x = block.Core.X; x < block.Core.Right; x++) cover[y * width + x]++;
            Assert.True(block.Window.X >= 0 && block.Window.Y >= 0 && block.Window.Right <= width && block.Window.Bottom <= height);
            Assert.Equal(Math.Max(0, block.Core.X - context), block.Window.X);
            Assert.Equal(Math.Min(height, block.Core.Bottom + context), block.Window.Bottom);
        }
        Assert.All(cover, c => Assert.Equal(1, c));
    }

    [Fact]
    public void A_nucleus_is_kept_by_the_block_holding_its_centre_and_flagged_when_cut()
    {
        var block = BlockPlan.Of(100, 100, 50, 10).Rows[0][0]; // core 0..49, window 0..59
        var labels = new LabelImage(60, 60);
        for (int y = 20; y < 30; y++) for (int x = 44; x < 54; x++) labels[y, x] = 1;  // centre x 48.5: in the core
        for (int y = 20; y < 30; y++) for (int x = 47; x < 60; x++) labels[y + 20, x] = 2; // centre x 53: next block's
        for (int y = 0; y < 10; y++) for (int x = 40; x < 60; x++) labels[y, x] = 3;   // centre x 49.5, touches the window's right edge
        var kept = CentreAssignment.Keep(labels, block, 100, 100);
        Assert.Equal(new[] { 1, 3 }, kept.Select(k => k.Region.Label));
        Assert.False(kept[0].CutByWindow);
        Assert.True(kept[1].CutByWindow);
    }

    [Fact]
    public void The_band_keeps_the_first_label_and_writes_rows_in_order()
    {
        var written = new List<(int First, int[] Rows)>();
        var canvas = new LabelCanvas(6, 4, 4, (first, count, rows) => written.Add((first, rows.ToArray())));
        var window = new PixelRect(0, 0, 4, 4);
        Assert.Equal(new[] { 0, 1, 4, 5 }, canvas.Paint(1, [0, 1, 4, 5], window));
        Assert.Equal(new[] { 2 }, canvas.Paint(2, [1, 2], window)); // pixel 1 is taken
        canvas.WriteRowsAbove(2);
        canvas.Paint(3, [0], new PixelRect(0, 5, 4, 1)); // row 5, now inside the moved band
        canvas.WriteRowsAbove(6);
        Assert.Equal(new[] { 0, 2 }, written.Select(w => w.First));
        Assert.Equal(new[] { 1, 1, 2, 0, 1, 1, 0, 0 }, written[0].Rows);
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0 }, written[1].Rows);
    }

    [Fact]
    public void The_tiled_tiff_holds_the_rows_written_in_bands_of_any_height()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("nuclei-tiff-").FullName, "l.tif");
        int h = 600, w = 300;
        var labels = new LabelImage(h, w, Enumerable.Range(0, h * w).Select(i => i % 7 == 0 ? 0 : i % 70000 + 1).ToArray());
        using (var tiff = new TiledLabelTiff(path, h, w, pixelSizeUm: 0.5))
        {
            foreach (var (first, count) in new[] { (0, 100), (100, 300), (400, 200) })
                tiff.WriteRows(first, count, labels.Data.AsMemory(first * w, count * w));
            tiff.Finish();
        }
        Assert.Equal(labels.Data, SyntheticSlides.ReadLabels(path).Data);
        Assert.Equal(labels.Data, ImageIO.ReadLabels(path).Data); // OpenCV, which `nuclei evaluate` reads with, too
        Directory.Delete(Path.GetDirectoryName(path)!, true);
    }
}
