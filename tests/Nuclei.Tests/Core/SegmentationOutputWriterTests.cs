using Nuclei.Core.Imaging;
using Nuclei.Core.Output;
using Nuclei.Core.Rle;

namespace Nuclei.Tests.Core;

public sealed class SegmentationOutputWriterTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-out-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void WritesLabelMapsOverlaysSummaryAndSubmissionFromParallelWorkers()
    {
        string outDir = Path.Combine(dir, "out"), csv = Path.Combine(dir, "sub.csv");
        var writer = new SegmentationOutputWriter(outDir, csv);
        var image = new FloatImage(4, 5, 3);
        var two = new LabelImage(4, 5, new[]
        {
            1, 1, 0, 0, 0,
            1, 1, 0, 2, 0,
            0, 0, 0, 2, 0,
            0, 0, 0, 0, 0,
        });
        var none = new LabelImage(4, 5);
        Parallel.Invoke(
            () => writer.Write("b", image, two),
            () => writer.Write("a", image, none));
        writer.Finish();

        Assert.Equal(two.Data, ImageIO.ReadLabels(Path.Combine(outDir, "b.labels.png")).Data);
        Assert.True(File.Exists(Path.Combine(outDir, "b.overlay.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "a.overlay.png")));
        Assert.Equal("image,nuclei,mean_area_px\na,0,0.0\nb,2,3.0\n", File.ReadAllText(Path.Combine(outDir, "summary.csv")));
        Assert.Equal("ImageId,EncodedPixels\na,\nb,1 2 5 2\nb,14 2\n", File.ReadAllText(csv));
        Assert.Empty(Directory.EnumerateFiles(outDir, "*tmp*"));
        Assert.Throws<InvalidOperationException>(() => writer.Write("a", image, none));
    }
}
