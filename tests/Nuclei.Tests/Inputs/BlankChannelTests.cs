using Nuclei.Cli.Commands;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using OpenCvSharp;

namespace Nuclei.Tests.Inputs;

/// <summary>
/// One --channel for a batch whose files order their channels differently: a blank chosen channel beside one with
/// signal is warned about per file, naming the channel with signal; channel names (OME) pick the same stain in every
/// file whatever its position; and the names that look nuclear are recognised.
/// </summary>
public sealed class BlankChannelTests : IDisposable
{
    const int H = 64, W = 80;
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-blank-channel-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Three bright discs on a dark background, as 16-bit samples.</summary>
    static ushort[] Nuclei()
    {
        var plane = new ushort[H * W];
        foreach (var (cy, cx) in new[] { (16, 20), (40, 50), (20, 62) })
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    plane[y * W + x] = (ushort)Math.Max(plane[y * W + x], (y - cy) * (y - cy) + (x - cx) * (x - cx) <= 64 ? 3000 : 100 + (x * 7 + y * 3) % 40);
        return plane;
    }

    /// <summary>An 8-bit RGB PNG with the nuclei in blue only (red and green all 0), as DAPI is often shown.</summary>
    string BluePng()
    {
        string path = Path.Combine(dir, "blue.png");
        var blue = Nuclei();
        using var mat = new Mat(H, W, MatType.CV_8UC3, Scalar.All(0));
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) mat.Set(y, x, new Vec3b((byte)(blue[y * W + x] / 12), 0, 0)); // OpenCV's order: B, G, R
        Cv2.ImWrite(path, mat);
        return path;
    }

    static (FloatImage Image, List<string> Warnings) Read(string path, string channel)
    {
        var warnings = new List<string>();
        var image = MultiPlaneImage.Read(new InputImage(InputCollector.IdOf(path), path), new PlaneChoice(channel), warnings.Add);
        return (image, warnings);
    }

    [Fact]
    public void A_blank_colour_beside_a_colour_with_signal_is_warned_about_naming_the_file_and_both_channels()
    {
        string png = BluePng();
        var (_, warnings) = Read(png, "2");
        Assert.Equal(
            $"{png}: --channel 2 reads channel 2 (green), which is blank (one value everywhere, or nearly all 0), while channel 3 (blue) has signal: " +
            "no nuclei can be found in it. If the nuclei are in channel 3 (blue), give --channel 3 for this file", Assert.Single(warnings));
        Assert.Empty(Read(png, "3").Warnings);
    }

    [Fact]
    public void A_blank_ome_channel_is_warned_about_and_the_nuclear_channel_suggested_by_name()
    {
        string tiff = TestTiffs.Write(Path.Combine(dir, "membrane-dapi.ome.tif"), H, W, [TestTiffs.Constant(H, W, 0), Nuclei()],
            TestTiffs.OmeXml(H, W, 2, 1, names: ["Membrane", "DAPI"]));
        var (_, warnings) = Read(tiff, "1");
        string warning = Assert.Single(warnings);
        Assert.StartsWith($"{tiff}: --channel 1 reads channel 1 (Membrane), which is blank", warning);
        Assert.EndsWith("give --channel 2 for this file, or --channel DAPI, which finds it by name in every file that names its channels", warning);
        Assert.Empty(Read(tiff, "DAPI").Warnings);

        // all blank: nothing to point to, nothing said
        string empty = TestTiffs.Write(Path.Combine(dir, "empty.ome.tif"), H, W, [TestTiffs.Constant(H, W, 0), TestTiffs.Constant(H, W, 7)],
            TestTiffs.OmeXml(H, W, 2, 1, names: ["Membrane", "DAPI"]));
        Assert.Empty(Read(empty, "1").Warnings);
    }

    [Fact]
    public void Channel_by_name_reads_the_same_stain_from_files_whose_channel_order_differs()
    {
        var nuclei = Nuclei();
        var other = TestTiffs.Constant(H, W, 500);
        string first = TestTiffs.Write(Path.Combine(dir, "a.ome.tif"), H, W, [nuclei, other], TestTiffs.OmeXml(H, W, 2, 1, names: ["DAPI", "GFP"]));
        string second = TestTiffs.Write(Path.Combine(dir, "b.ome.tif"), H, W, [other, nuclei], TestTiffs.OmeXml(H, W, 2, 1, names: ["GFP", "dapi"]));
        Assert.Equal(Read(first, "dapi").Image.Data, Read(second, "DAPI").Image.Data);
        Assert.Equal(nuclei.Select(v => v / 65535f), Read(second, "DAPI").Image.Data);
    }

    [Fact]
    public void Segmenting_a_batch_with_one_channel_number_finds_nuclei_only_where_it_is_the_stain()
    {
        string png = BluePng();
        string tiff = TestTiffs.Write(Path.Combine(dir, "two.ome.tif"), H, W, [TestTiffs.Constant(H, W, 0), Nuclei()],
            TestTiffs.OmeXml(H, W, 2, 1, names: ["Membrane", "DAPI"]));
        string outDir = Path.Combine(dir, "out");
        Assert.Equal(0, SegmentCommand.Run(new SegmentCommand.SegmentSettings([png, tiff], outDir, Segmenter: new() { Method = SegmentationMethod.Classical, Planes = new PlaneChoice("2") })));
        Assert.Equal(0, ImageIO.ReadLabels(Path.Combine(outDir, "blue.labels.png")).MaxLabel());   // the warned-about file
        Assert.Equal(3, ImageIO.ReadLabels(Path.Combine(outDir, "two.labels.png")).MaxLabel());
    }

    [Theory]
    [InlineData(new[] { "Membrane", "DAPI" }, 1)]
    [InlineData(new[] { "GFP", "Hoechst 33342" }, 1)]
    [InlineData(new[] { "H2B-mCherry", "Actin" }, 0)]
    [InlineData(new[] { "Tubulin", "DRAQ5" }, 1)]
    [InlineData(new[] { "nuclei", "cells" }, 0)]
    [InlineData(new[] { "Actin", "Tubulin" }, null)]
    public void Nuclear_channel_names_are_recognised(string[] names, int? suggested) =>
        Assert.Equal(suggested, NuclearChannelNames.Suggest(names));

    [Fact]
    public void One_value_everywhere_or_under_one_non_zero_sample_in_10000_is_blank()
    {
        var image = new FloatImage(1000, 1000, 1);
        Assert.True(BlankChannel.IsBlank(image));
        for (int i = 0; i < 99; i++) image.Data[i * 7919] = 1;
        Assert.True(BlankChannel.IsBlank(image));    // 99 in 1,000,000
        image.Data[3] = 1;
        Assert.False(BlankChannel.IsBlank(image));   // 100: a nucleus of 11 px across
        Array.Fill(image.Data, 0.3f);
        Assert.True(BlankChannel.IsBlank(image));
    }
}
