using Nuclei.Core.Big;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Big;

/// <summary>Block-wise segmentation must find the nuclei a whole-image run finds, each once, however the blocks cut them.</summary>
public class BlockSegmentationTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-blocks-").FullName;
    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void Classical_block_wise_labels_match_the_whole_image_run()
    {
        var image = SyntheticSlides.Discs(2048, 6000, seed: 7);
        string path = Path.Combine(dir, "discs.tif");
        SyntheticSlides.SaveTiledTiff(image, path);
        var whole = ClassicalSegmenter.Segment(ImageIO.ReadImage(path));

        var run = BlockSegmentation.Run(path, "discs", dir, (window, _) => ClassicalSegmenter.Segment(window),
            new BlockOptions(BlockSize: 256, Context: 48), new StreamedOutputs(Measure: true, GeoJson: true, RunLength: true), TextWriter.Null);

        var blocks = SyntheticSlides.ReadLabels(Path.Combine(dir, "discs.labels.tif"));
        var score = DsbMetric.Score(whole, blocks);
        Assert.Equal(64, run.Blocks);
        Assert.True(score.MeanAp >= 0.98, $"mean AP block-wise vs whole {score.MeanAp:F4}");
        Assert.True(Math.Abs(run.Nuclei - whole.MaxLabel()) <= 0.01 * whole.MaxLabel(), $"{run.Nuclei} nuclei block-wise, {whole.MaxLabel()} whole");
        Assert.Equal(run.Nuclei, blocks.MaxLabel());
        Assert.Equal(run.Nuclei, blocks.Data.Where(v => v > 0).Distinct().Count()); // labels 1..N, each used
        Assert.Equal(0, run.CutByContext);
        Assert.Equal(run.Nuclei + 1, File.ReadLines(Path.Combine(dir, "discs.measurements.csv")).Count());
        Assert.Equal(run.Nuclei + 1, File.ReadLines(Path.Combine(dir, "discs.rle.csv")).Count());
    }

    [Fact]
    public void Streamed_outputs_describe_the_written_label_image()
    {
        var image = SyntheticSlides.Discs(700, 300, seed: 3);
        string path = Path.Combine(dir, "small.png");
        ImageIO.WriteImage8(path, image);
        BlockSegmentation.Run(path, "small", dir, (window, _) => ClassicalSegmenter.Segment(window),
            new BlockOptions(BlockSize: 200, Context: 40), new StreamedOutputs(Measure: true, RunLength: true), TextWriter.Null);
        var labels = SyntheticSlides.ReadLabels(Path.Combine(dir, "small.labels.tif"));

        // run-length rows decode to exactly the label image
        var rows = Nuclei.Core.Rle.SubmissionCsv.Read(Path.Combine(dir, "small.rle.csv"));
        var decoded = new LabelImage(labels.Height, labels.Width);
        for (int k = 0; k < rows.Count; k++)
            Nuclei.Core.Rle.RunLength.Paint(decoded, Nuclei.Core.Rle.RunLength.Parse(rows[k].EncodedPixels, decoded.PixelCount, "test"), k + 1, "test", allowOverlap: false);
        Assert.Equal(labels.Data, decoded.Data);

        // measurements are those of the whole label image, in image coordinates
        var expected = Nuclei.Core.Measurements.RegionMeasurer.Measure(labels, null);
        var lines = File.ReadAllLines(Path.Combine(dir, "small.measurements.csv"));
        Assert.Equal(expected.Count + 1, lines.Length);
        var header = lines[0].Split(',');
        int area = Array.IndexOf(header, "area_px"), cx = Array.IndexOf(header, "centroid_x_px"), border = Array.IndexOf(header, "touches_border");
        for (int k = 0; k < expected.Count; k++)
        {
            var f = lines[k + 1].Split(',');
            Assert.Equal(expected[k].Area, int.Parse(f[area]));
            Assert.Equal(expected[k].CentroidX, double.Parse(f[cx], System.Globalization.CultureInfo.InvariantCulture), 4);
            Assert.Equal(expected[k].TouchesBorder ? "1" : "0", f[border]);
        }
    }

    [SkippableFact]
    public void Bundled_model_block_wise_matches_the_whole_image_run()
    {
        string? model = DefaultModel.Locate(TestData.RepoRoot);
        Skip.If(model is null, "models/default.nck not present");
        string path = SyntheticSlides.SampleMosaic(3, Path.Combine(dir, "mosaic.png"));
        using var predictor = new Predictor([CheckpointModels.Load(model!)]);
        using var segmenter = new ModelSegmenter(predictor, CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(model!)));
        var whole = segmenter.Segment(ImageIO.ReadImage(path));

        var run = BlockSegmentation.Run(path, "mosaic", dir, (window, range) => segmenter.Segment(window, null, out _, range),
            new BlockOptions(BlockSize: 384, Context: 64), new StreamedOutputs(), TextWriter.Null);

        var score = DsbMetric.Score(whole, SyntheticSlides.ReadLabels(Path.Combine(dir, "mosaic.labels.tif")));
        Assert.True(score.MeanAp >= 0.98, $"mean AP block-wise vs whole {score.MeanAp:F4} ({run.Nuclei} vs {whole.MaxLabel()} nuclei)");
        Assert.True(Math.Abs(run.Nuclei - whole.MaxLabel()) <= 0.01 * whole.MaxLabel(), $"{run.Nuclei} nuclei block-wise, {whole.MaxLabel()} whole");
    }
}
