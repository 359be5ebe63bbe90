using Nuclei.Core.Augmentation;
using Nuclei.Core.Big;
using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Tests.Big;

/// <summary>A slide's percentiles, streamed through libvips, are those the whole image in memory would be normalised by.</summary>
public class SlidePercentilesTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-percentiles-").FullName;
    public void Dispose() => Directory.Delete(dir, true);

    static readonly Normalization Percentile = new([0.0], [1.0], PerImagePercentile: true, PercentileLow: 1, PercentileHigh: 99.8);

    /// <summary>A dim background with bright blobs, so that the two percentiles are far apart and not at the extremes.</summary>
    string Write(string name, MatType type, int channels, double full)
    {
        var rng = new Random(3);
        using var mat = new Mat(300, 400, type);
        var values = new double[channels];
        int rows = mat.Rows, cols = mat.Cols;
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
            {
                bool blob = (x / 40 + y / 40) % 3 == 0;
                for (int c = 0; c < channels; c++) values[c] = full * (blob ? 0.5 + 0.4 * rng.NextDouble() : 0.05 + 0.1 * rng.NextDouble()) * (c + 1) / channels;
                if (channels == 1) mat.Set(y, x, (ushort)values[0]);
                else mat.Set(y, x, new Vec3b((byte)values[0], (byte)values[1], (byte)values[2]));
            }
        string path = Path.Combine(dir, name);
        Cv2.ImWrite(path, mat);
        return path;
    }

    [Theory]
    [InlineData("grey16.png", 1, 65535.0)]
    [InlineData("grey12.tif", 1, 4095.0)]
    [InlineData("rgb8.png", 3, 255.0)]
    public void Streamed_percentiles_equal_the_whole_images(string name, int channels, double full)
    {
        string path = Write(name, channels == 1 ? MatType.CV_16UC1 : MatType.CV_8UC3, channels, full);
        var whole = Percentile.PercentilesOf(ImageIO.ReadImage(path).Data);
        using var reader = new SlideReader(path);
        var streamed = SlidePercentiles.Of(reader, 1, 99.8);

        var data = ImageIO.ReadImage(path).Data;
        float bin = (data.Max() - data.Min()) / (Normalization.HistogramBins - 1);
        Assert.True(whole.High - whole.Low > 100 * bin, $"a real range: {whole}");
        Assert.InRange(streamed.Low, whole.Low - bin * 1.01f, whole.Low + bin * 1.01f);
        Assert.InRange(streamed.High, whole.High - bin * 1.01f, whole.High + bin * 1.01f);
    }

    [Fact]
    public void Streamed_luminance_percentiles_equal_those_a_grey_input_normalisation_takes_of_the_whole_image()
    {
        string path = Write("rgb8.png", MatType.CV_8UC3, 3, 255.0);
        var image = ImageIO.ReadImage(path);
        var whole = Percentile.PercentilesOf(ColorTransforms.Luminance(image));   // what a grey-input normalisation measures
        using var reader = new SlideReader(path);
        var streamed = SlidePercentiles.Of(reader, 1, 99.8, ofLuminance: true);

        var lum = ColorTransforms.Luminance(image);
        float bin = (lum.Max() - lum.Min()) / (Normalization.HistogramBins - 1);
        Assert.NotEqual(Percentile.PercentilesOf(image.Data), whole);   // the luminance's range is not the samples'
        Assert.InRange(streamed.Low, whole.Low - bin * 1.01f, whole.Low + bin * 1.01f);
        Assert.InRange(streamed.High, whole.High - bin * 1.01f, whole.High + bin * 1.01f);
    }

    [Fact]
    public void Every_block_gets_the_whole_slides_range()
    {
        string path = Write("grey16.png", MatType.CV_16UC1, 1, 65535.0);
        var expected = Percentile.PercentilesOf(ImageIO.ReadImage(path).Data);
        var seen = new List<IntensityRange?>();
        BlockSegmentation.Run(path, "grey16", dir, (window, range) => { seen.Add(range.Range); return new LabelImage(window.Height, window.Width); },
            new BlockOptions(BlockSize: 128, Context: 32), new StreamedOutputs(), TextWriter.Null, percentiles: new PercentileStretch(1, 99.8));

        Assert.True(seen.Count >= 6, $"{seen.Count} blocks");
        Assert.All(seen, r => Assert.Equal(seen[0], r));
        Assert.InRange(seen[0]!.Value.Low, expected.Low * 0.99f, expected.Low * 1.01f);
        Assert.InRange(seen[0]!.Value.High, expected.High * 0.99f, expected.High * 1.01f);
    }
}
