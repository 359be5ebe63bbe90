using System.Text.Json;
using Nuclei.Core.Big;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Tests.Big;
using Nuclei.Tests.Core;

namespace Nuclei.Tests.Cli;

/// <summary>`segment --exclude-on-edges` drops the nuclei cut by the field of view, and only those: whole images and block-wise.</summary>
public sealed class ExcludeOnEdgesTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-edges-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Segment_removes_the_border_nuclei_from_labels_measurements_and_json_and_says_how_many()
    {
        var sample = DsbDataset.Scan(TestData.SamplesDir).Samples.First(s => s.Id.StartsWith("55ff2b0e", StringComparison.Ordinal));
        var all = SamplesAndEvaluateTests.RunCli("segment", sample.ImagePath, "--method", "classical", "--out", Path.Combine(dir, "all"), "--json");
        var kept = SamplesAndEvaluateTests.RunCli("segment", sample.ImagePath, "--method", "classical", "--out", Path.Combine(dir, "kept"),
            "--exclude-on-edges", "--measure", "--json", "-v");
        Assert.True(all.Exit == 0, all.Err);
        Assert.True(kept.Exit == 0, kept.Err);

        var before = JsonDocument.Parse(all.Out).RootElement.GetProperty("results")[0];
        var after = JsonDocument.Parse(kept.Out).RootElement.GetProperty("results")[0];
        int removed = after.GetProperty("removed_on_edges").GetInt32();
        Assert.False(before.TryGetProperty("removed_on_edges", out _));
        Assert.True(removed > 0, "this sample has nuclei cut by its border");
        Assert.Equal(before.GetProperty("nuclei").GetInt32(), after.GetProperty("nuclei").GetInt32() + removed);
        Assert.Contains($"{sample.Id}: {removed} nuclei touching the image border removed", kept.Err);

        // the label map holds nothing on its border and is numbered 1..N; the measurements have one row per nucleus left
        var labels = ImageIO.ReadLabels(Path.Combine(dir, "kept", sample.Id + ".labels.png"));
        int n = after.GetProperty("nuclei").GetInt32();
        Assert.Equal(0, BorderObjects.Remove(labels.Height, labels.Width, (int[])labels.Data.Clone()));
        Assert.Equal(n, labels.MaxLabel());
        Assert.Equal(n, labels.Data.Where(v => v > 0).Distinct().Count());
        Assert.Equal(n + 1, File.ReadLines(Path.Combine(dir, "kept", "measurements.csv")).Count());
    }

    [Fact]
    public void Block_wise_only_the_image_border_counts_not_the_seams_between_blocks()
    {
        var image = SyntheticSlides.Discs(1024, 1500, seed: 11);
        // nuclei cut by the border, some where a seam between blocks meets it (x or y = 256, 512, 768)
        foreach (var (y, x) in new[] { (0, 100), (0, 512), (1023, 256), (1023, 900), (300, 0), (768, 0), (512, 1023), (1023, 1023) })
            PaintDisc(image, y, x, 9);
        string path = Path.Combine(dir, "discs.tif");
        SyntheticSlides.SaveTiledTiff(image, path);
        var blocks = new BlockOptions(BlockSize: 256, Context: 48);
        var outputs = new StreamedOutputs(Measure: true, GeoJson: false, RunLength: false);
        Directory.CreateDirectory(Path.Combine(dir, "all"));
        Directory.CreateDirectory(Path.Combine(dir, "kept"));

        var all = BlockSegmentation.Run(path, "discs", Path.Combine(dir, "all"), (window, _) => ClassicalSegmenter.Segment(window), blocks, outputs, TextWriter.Null);
        var kept = BlockSegmentation.Run(path, "discs", Path.Combine(dir, "kept"), (window, _) => ClassicalSegmenter.Segment(window), blocks, outputs, TextWriter.Null,
            excludeOnEdges: true);

        // a whole-image run removes as many: nuclei on the 16 blocks' inner seams are all kept
        var whole = ClassicalSegmenter.Segment(ImageIO.ReadImage(path));
        int removedWhole = BorderObjects.RemoveAndRenumber(whole);
        Assert.True(kept.OnEdges >= 8, $"{kept.OnEdges} removed; 8 nuclei were drawn on the border");
        Assert.Equal(all.Nuclei, kept.Nuclei + kept.OnEdges);
        Assert.InRange(kept.OnEdges, removedWhole - 2, removedWhole + 2);
        Assert.True(kept.OnEdges < all.Nuclei / 5, $"{kept.OnEdges} of {all.Nuclei} removed: seams counted as borders?");

        var labels = SyntheticSlides.ReadLabels(Path.Combine(dir, "kept", "discs.labels.tif"));
        Assert.Equal(0, BorderObjects.Remove(labels.Height, labels.Width, (int[])labels.Data.Clone()));
        Assert.Equal(kept.Nuclei, labels.Data.Where(v => v > 0).Distinct().Count());
        Assert.Equal(kept.Nuclei + 1, File.ReadLines(Path.Combine(dir, "kept", "discs.measurements.csv")).Count());
    }

    static void PaintDisc(FloatImage image, int cy, int cx, int r)
    {
        for (int y = Math.Max(0, cy - r); y <= Math.Min(image.Height - 1, cy + r); y++)
            for (int x = Math.Max(0, cx - r); x <= Math.Min(image.Width - 1, cx + r); x++)
                if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) image[y, x] = 0.85f;
    }
}
