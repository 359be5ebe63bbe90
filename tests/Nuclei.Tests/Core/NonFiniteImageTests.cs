using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Tests.Safety;
using OpenCvSharp;

namespace Nuclei.Tests.Core;

/// <summary>NaN and infinities in float TIFFs: replaced by the image's median with a warning; an all-NaN image is an error.</summary>
public sealed class NonFiniteImageTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-nan-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    const int Size = 128;

    /// <summary>Eight bright discs round the border of a dark float image, and <paramref name="patch"/> (a value) over a 40×40 square in the middle.</summary>
    string WriteDiscs(string name, float? patch)
    {
        var data = new float[Size * Size];
        for (int i = 0; i < data.Length; i++) data[i] = 0.1f + 0.01f * (i * 7919 % 5);
        foreach (var (cy, cx) in new[] { (14, 14), (14, 64), (14, 114), (64, 14), (64, 114), (114, 14), (114, 64), (114, 114) })
            for (int y = cy - 7; y <= cy + 7; y++)
                for (int x = cx - 7; x <= cx + 7; x++)
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= 49) data[y * Size + x] = 0.8f;
        if (patch is float p)
            for (int y = 44; y < 84; y++)
                for (int x = 44; x < 84; x++) data[y * Size + x] = p;
        return WriteFloatTiff(name, data);
    }

    string WriteFloatTiff(string name, float[] data)
    {
        string path = Path.Combine(dir, name);
        using var mat = new Mat(Size, Size, MatType.CV_32FC1);
        mat.SetArray(data);
        Assert.True(Cv2.ImWrite(path, mat));
        return path;
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_samples_are_replaced_by_the_median_with_a_warning(float bad)
    {
        string path = WriteDiscs("patch.tif", bad);
        var warnings = new List<string>();
        var image = ImageIO.ReadImage(path, warnings.Add);
        Assert.All(image.Data, v => Assert.True(float.IsFinite(v)));
        var clean = ImageIO.ReadImage(WriteDiscs("clean.tif", null));
        float median = clean.Data.Order().ElementAt(clean.Data.Length / 2); // background: the discs are a minority
        Assert.Equal(median, image[60, 60], 2);
        var message = Assert.Single(warnings);
        Assert.StartsWith(path + ": 1600 NaN or infinite sample(s) of 16384 replaced by the image's median", message);
    }

    [Fact]
    public void A_nan_patch_does_not_lose_nuclei_far_from_it()
    {
        var clean = ClassicalSegmenter.Segment(ImageIO.ReadImage(WriteDiscs("clean.tif", null)), new ClassicalOptions());
        var patched = ClassicalSegmenter.Segment(ImageIO.ReadImage(WriteDiscs("patch.tif", float.NaN)), new ClassicalOptions());
        Assert.Equal(8, clean.MaxLabel());
        Assert.Equal(clean.MaxLabel(), patched.MaxLabel());
    }

    [Fact]
    public void An_all_nan_image_is_an_error_naming_the_file()
    {
        string path = WriteFloatTiff("allnan.tif", Enumerable.Repeat(float.NaN, Size * Size).ToArray());
        var e = Assert.Throws<NucleiInputException>(() => ImageIO.ReadImage(path));
        Assert.Equal($"{path}: every sample of the image is NaN or infinite (16384): nothing to segment", e.Message);
    }

    [Fact]
    public void Probability_maps_with_nan_are_still_refused()
    {
        var data = new float[Size * Size];
        data[5] = float.NaN;
        string path = WriteFloatTiff("map.tif", data);
        Assert.Contains("NaN", Assert.Throws<NucleiInputException>(() => ProbabilityMaps.Read(path)).Message);
    }

    [Fact]
    public void Segment_warns_about_replaced_samples_and_lists_an_all_nan_image_as_failed()
    {
        string images = Path.Combine(dir, "images");
        Directory.CreateDirectory(images);
        string patched = WriteDiscs(Path.Combine("images", "patch.tif"), float.NaN);
        string allNan = WriteFloatTiff(Path.Combine("images", "void.tif"), Enumerable.Repeat(float.NaN, Size * Size).ToArray());
        var (exit, err) = KillAndDiskFullTests.RunCli(["segment", images, "--out", Path.Combine(dir, "out"), "--method", "classical"]);
        Assert.Equal(1, exit);
        Assert.Contains($"warning: {patched}: 1600 NaN or infinite sample(s)", err);
        Assert.Contains($"  {allNan}: every sample of the image is NaN", err); // the failure names the file once
        Assert.True(File.Exists(Path.Combine(dir, "out", "patch.labels.png")));
    }
}
