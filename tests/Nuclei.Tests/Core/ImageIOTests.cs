using Nuclei.Core;
using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Tests.Core;

public sealed class ImageIOTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-imageio-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string PathOf(string name) => Path.Combine(dir, name);

    static unsafe Mat MatFrom<T>(int h, int w, MatType type, T[] values) where T : unmanaged
    {
        var mat = new Mat(h, w, type);
        values.AsSpan().CopyTo(new Span<T>((void*)mat.Data, values.Length));
        return mat;
    }

    [Fact]
    public void Gray8PngScalesBy255()
    {
        using var mat = MatFrom(2, 3, MatType.CV_8UC1, new byte[] { 0, 51, 255, 1, 2, 3 });
        Cv2.ImWrite(PathOf("g.png"), mat);
        var img = ImageIO.ReadImage(PathOf("g.png"));
        Assert.Equal((2, 3, 1), (img.Height, img.Width, img.Channels));
        Assert.Equal(0.2f, img[0, 1], 6);
        Assert.Equal(1f, img[0, 2], 6);
    }

    [Theory]
    [InlineData("g16.png")]
    [InlineData("g16.tif")]
    public void Gray16ScalesBy65535(string name)
    {
        using var mat = MatFrom(1, 3, MatType.CV_16UC1, new ushort[] { 0, 65535, 13107 });
        Cv2.ImWrite(PathOf(name), mat);
        var img = ImageIO.ReadImage(PathOf(name));
        Assert.Equal(new[] { 0f, 1f, 0.2f }, img.Data.Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void RgbaDropsAlphaAndComesOutRgb()
    {
        // OpenCV stores B,G,R,A: a pure red pixel then a pure blue one.
        using var mat = MatFrom(1, 2, MatType.CV_8UC4, new byte[] { 0, 0, 255, 128, 255, 0, 0, 255 });
        Cv2.ImWrite(PathOf("rgba.png"), mat);
        var img = ImageIO.ReadImage(PathOf("rgba.png"));
        Assert.Equal(3, img.Channels);
        Assert.Equal(new[] { 1f, 0f, 0f, 0f, 0f, 1f }, img.Data);
    }

    [Fact]
    public void RgbTiffComesOutRgb()
    {
        using var mat = MatFrom(1, 1, MatType.CV_16UC3, new ushort[] { 0, 0, 65535 });
        Cv2.ImWrite(PathOf("rgb.tif"), mat);
        var img = ImageIO.ReadImage(PathOf("rgb.tif"));
        Assert.Equal(new[] { 1f, 0f, 0f }, img.Data);
    }

    [Fact]
    public void FloatTiffKeptAsIs()
    {
        using var mat = MatFrom(1, 2, MatType.CV_32FC1, new float[] { 0.25f, 3.5f });
        Cv2.ImWrite(PathOf("f.tif"), mat);
        Assert.Equal(new[] { 0.25f, 3.5f }, ImageIO.ReadImage(PathOf("f.tif")).Data);
    }

    [Fact]
    public void LabelsRoundTripAs16BitPng()
    {
        var labels = new LabelImage(3, 4, new[] { 0, 1, 1, 0, 2, 2, 0, 65535, 0, 0, 3, 3 });
        string written = ImageIO.WriteLabels(PathOf("l.png"), labels);
        Assert.Equal(PathOf("l.png"), written);
        using (var raw = Cv2.ImRead(written, ImreadModes.Unchanged)) Assert.Equal(MatType.CV_16UC1, raw.Type());
        Assert.Equal(labels.Data, ImageIO.ReadLabels(written).Data);
    }

    [Fact]
    public void LabelsOver65535GoTo32BitTiff()
    {
        var labels = new LabelImage(2, 2, new[] { 0, 70000, 1, 2_000_000 });
        string written = ImageIO.WriteLabels(PathOf("big.png"), labels);
        Assert.Equal(PathOf("big.tif"), written);
        Assert.Equal(labels.Data, ImageIO.ReadLabels(written).Data);
        Assert.False(Directory.EnumerateFiles(dir, "*.tmp*").Any());
    }

    [Fact]
    public void Labels8BitAreRead()
    {
        using var mat = MatFrom(1, 3, MatType.CV_8UC1, new byte[] { 0, 7, 255 });
        Cv2.ImWrite(PathOf("l8.png"), mat);
        Assert.Equal(new[] { 0, 7, 255 }, ImageIO.ReadLabels(PathOf("l8.png")).Data);
    }

    [Fact]
    public void ColourLabelMapIsRejectedButEqualChannelsAreAccepted()
    {
        using (var colour = MatFrom(1, 2, MatType.CV_8UC3, new byte[] { 1, 2, 3, 0, 0, 0 }))
            Cv2.ImWrite(PathOf("colour.png"), colour);
        var e = Assert.Throws<NucleiInputException>(() => ImageIO.ReadLabels(PathOf("colour.png")));
        Assert.Contains("colour.png", e.Message);
        Assert.Contains("one channel", e.Message);

        using (var gray3 = MatFrom(1, 2, MatType.CV_8UC3, new byte[] { 4, 4, 4, 0, 0, 0 }))
            Cv2.ImWrite(PathOf("gray3.png"), gray3);
        Assert.Equal(new[] { 4, 0 }, ImageIO.ReadLabels(PathOf("gray3.png")).Data);
    }

    [Fact]
    public void MissingEmptyAndCorruptFilesGiveClearErrors()
    {
        var missing = Assert.Throws<NucleiInputException>(() => ImageIO.ReadImage(PathOf("nope.png")));
        Assert.Contains("nope.png", missing.Message);
        Assert.Contains("not found", missing.Message);

        File.WriteAllBytes(PathOf("empty.png"), Array.Empty<byte>());
        var empty = Assert.Throws<NucleiInputException>(() => ImageIO.ReadImage(PathOf("empty.png")));
        Assert.Contains("empty.png", empty.Message);
        Assert.Contains("empty", empty.Message);

        File.WriteAllText(PathOf("corrupt.png"), "this is not a png at all");
        var corrupt = Assert.Throws<NucleiInputException>(() => ImageIO.ReadLabels(PathOf("corrupt.png")));
        Assert.Contains("corrupt.png", corrupt.Message);
        Assert.Contains("cannot decode", corrupt.Message);

        // A PNG cut in half.
        using (var mat = MatFrom(32, 32, MatType.CV_8UC1, Enumerable.Range(0, 1024).Select(i => (byte)(i * 7)).ToArray()))
            Cv2.ImWrite(PathOf("whole.png"), mat);
        byte[] bytes = File.ReadAllBytes(PathOf("whole.png"));
        File.WriteAllBytes(PathOf("half.png"), bytes[..(bytes.Length / 2)]);
        var half = Assert.Throws<NucleiInputException>(() => ImageIO.ReadImage(PathOf("half.png")));
        Assert.Contains("half.png", half.Message);
    }

    [Fact]
    public void OverlayOutlinesNucleiInDifferentColoursOnAStretchedDarkImage()
    {
        // A dark 16-bit-like image (values around 0.01) with two touching squares.
        var image = new FloatImage(20, 20, 1);
        var labels = new LabelImage(20, 20);
        for (int y = 5; y < 15; y++)
        for (int x = 2; x < 18; x++)
        {
            labels[y, x] = x < 10 ? 1 : 2;
            image[y, x] = 0.01f;
        }
        ImageIO.WriteOverlay(PathOf("o.png"), image, labels);
        using var mat = Cv2.ImRead(PathOf("o.png"), ImreadModes.Unchanged);
        Assert.Equal(MatType.CV_8UC3, mat.Type());
        var inside = mat.At<Vec3b>(10, 5);
        Assert.Equal(255, inside.Item0); // stretched: dim nucleus interior becomes white
        var edge1 = mat.At<Vec3b>(5, 5);
        var edge2 = mat.At<Vec3b>(5, 12);
        Assert.NotEqual(edge1, edge2);
        Assert.NotEqual(inside, edge1);
    }
}
