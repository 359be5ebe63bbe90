using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using OpenCvSharp;
using Nuclei.Cli;

namespace Nuclei.Tests.Inputs;

public sealed class MultiPlaneImageTests : IDisposable
{
    const int H = 20, W = 37; // not a multiple of the tile side
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-planes-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string PathOf(string name) => Path.Combine(dir, name);

    static FloatImage Read(string path, string? channel = null, ZProjection z = ZProjection.None, int? plane = null) =>
        MultiPlaneImage.Read(new InputImage("x", path, plane), new PlaneChoice(channel, z));

    /// <summary>A two-channel, three-plane OME-TIFF (ZCT order): plane (c, z) holds the value 1000 * (c + 1) + 100 * z everywhere.</summary>
    string TwoChannelStack(string name, string order = "XYZCT", bool tiled = false)
    {
        var size = (C: 2, Z: 3, T: 1);
        var pages = Enumerable.Range(0, 6).Select(p =>
        {
            var (c, z, _) = MultiPlaneImageLayout.PlaneAt(order[2..], p, size);
            return TestTiffs.Constant(H, W, (ushort)(1000 * (c + 1) + 100 * z));
        }).ToList();
        return TestTiffs.Write(PathOf(name), H, W, pages, TestTiffs.OmeXml(H, W, 2, 3, order, ["GFP", "DAPI"]), tiled);
    }

    static float Value(int c, int z) => (1000 * (c + 1) + 100 * z) / 65535f;

    [Theory]
    [InlineData("XYZCT", false)]
    [InlineData("XYCZT", false)]
    [InlineData("XYZCT", true)]
    public void A_channel_by_number_or_name_and_a_z_projection_read_the_right_pages(string order, bool tiled)
    {
        string path = TwoChannelStack("s.ome.tif", order, tiled);
        var max = Read(path, "2", ZProjection.Max);
        Assert.Equal((H, W, 1), (max.Height, max.Width, max.Channels));
        Assert.All(max.Data, v => Assert.Equal(Value(1, 2), v, 6));
        Assert.All(Read(path, "dapi", ZProjection.Mean).Data, v => Assert.Equal(Value(1, 1), v, 6));
        Assert.All(Read(path, "GFP", ZProjection.Each, plane: 1).Data, v => Assert.Equal(Value(0, 0), v, 6));
    }

    [Fact]
    public void Without_a_channel_the_image_is_refused_naming_its_channels()
    {
        string path = TestTiffs.Write(PathOf("x.ome.tif"), H, W, [TestTiffs.Constant(H, W, 1), TestTiffs.Constant(H, W, 2)],
            TestTiffs.OmeXml(H, W, 2, 1, names: ["DAPI", "GFP"]));
        var e = Assert.Throws<NucleiInputException>(() => Read(path));
        Assert.Equal($"{path}: 2 channels (DAPI, GFP); choose one with --channel", e.MessageFor(SettingFlags.Names));

        var stack = TwoChannelStack("s.ome.tif");
        Assert.Contains("2 channels (GFP, DAPI) and 3 z planes; choose a channel with --channel and the planes with --z", Assert.Throws<NucleiInputException>(() => Read(stack)).MessageFor(SettingFlags.Names));
        Assert.Contains("3 z planes; choose --z max, mean, each or stitch", Assert.Throws<NucleiInputException>(() => Read(stack, "2")).MessageFor(SettingFlags.Names));
        Assert.Contains("no channel named 'Cy5'; its 2 channel(s): GFP, DAPI", Assert.Throws<NucleiInputException>(() => Read(stack, "Cy5", ZProjection.Max)).Message);
        Assert.Contains("--channel 3, but the image has 2 channel(s)", Assert.Throws<NucleiInputException>(() => Read(stack, "3", ZProjection.Max)).MessageFor(SettingFlags.Names));
    }

    [Fact]
    public void TiffData_elements_map_planes_to_pages()
    {
        // Pages stored in reverse: plane k of 2 channels is IFD 1 - k.
        string tiffData = "<TiffData IFD=\"1\" FirstC=\"0\" PlaneCount=\"1\"/><TiffData IFD=\"0\" FirstC=\"1\" PlaneCount=\"1\"/>";
        string path = TestTiffs.Write(PathOf("r.ome.tif"), H, W, [TestTiffs.Constant(H, W, 200), TestTiffs.Constant(H, W, 100)],
            TestTiffs.OmeXml(H, W, 2, 1, tiffData: tiffData));
        Assert.All(Read(path, "1").Data, v => Assert.Equal(100 / 65535f, v, 6));
        Assert.Contains("2 channels (channel 1, channel 2)", Assert.Throws<NucleiInputException>(() => Read(path)).MessageFor(SettingFlags.Names));
    }

    [Fact]
    public void An_ImageJ_hyperstack_is_read_channel_fastest()
    {
        var pages = Enumerable.Range(0, 6).Select(p => TestTiffs.Constant(H, W, (ushort)(10 * p))).ToList(); // page = c + 2 z
        string path = TestTiffs.Write(PathOf("ij.tif"), H, W, pages, "ImageJ=1.54f\nimages=6\nchannels=2\nslices=3\nhyperstack=true\n");
        Assert.All(Read(path, "2", ZProjection.Max).Data, v => Assert.Equal(50 / 65535f, v, 6));
        Assert.All(Read(path, "1", ZProjection.Mean).Data, v => Assert.Equal(20 / 65535f, v, 6));
    }

    [Fact]
    public void Pages_without_metadata_are_channels_or_z_planes_as_the_user_says()
    {
        var pages = new[] { 30, 90, 60 }.Select(v => TestTiffs.Constant(H, W, (ushort)v)).ToList();
        string path = TestTiffs.Write(PathOf("p.tif"), H, W, pages);
        Assert.Contains("3 pages without OME or ImageJ metadata; choose one with --channel N", Assert.Throws<NucleiInputException>(() => Read(path)).MessageFor(SettingFlags.Names));
        Assert.All(Read(path, "2").Data, v => Assert.Equal(90 / 65535f, v, 6));
        Assert.All(Read(path, z: ZProjection.Max).Data, v => Assert.Equal(90 / 65535f, v, 6));
        Assert.All(Read(path, z: ZProjection.Mean).Data, v => Assert.Equal(60 / 65535f, v, 6));
        Assert.Contains("not both", Assert.Throws<NucleiInputException>(() => Read(path, "1", ZProjection.Max)).Message);
    }

    [Fact]
    public void Each_plane_becomes_an_item_of_its_own()
    {
        string stack = TwoChannelStack("s.ome.tif");
        string png = PathOf("flat.png");
        using (var mat = new Mat(4, 4, MatType.CV_8UC1, Scalar.All(9))) Cv2.ImWrite(png, mat);
        var items = MultiPlaneImage.Expand([new InputImage("s", stack), new InputImage("flat", png)], new PlaneChoice("2", ZProjection.Each));
        Assert.Equal(["s_z1", "s_z2", "s_z3", "flat"], items.Select(i => i.Id));
        Assert.Equal([1, 2, 3, (int?)null], items.Select(i => i.Plane));
        Assert.All(MultiPlaneImage.Read(items[2], new PlaneChoice("2", ZProjection.Each)).Data, v => Assert.Equal(Value(1, 2), v, 6));
    }

    [Fact]
    public void Gray_and_RGB_files_read_as_before_and_channel_picks_a_colour()
    {
        string rgb = PathOf("rgb.png");
        using (var mat = new Mat(3, 4, MatType.CV_8UC3, new Scalar(30, 20, 10))) Cv2.ImWrite(rgb, mat); // B,G,R
        Assert.Equal(ImageIO.ReadImage(rgb).Data, Read(rgb).Data);
        Assert.Equal(ImageIO.ReadImage(rgb).Data, Read(rgb, z: ZProjection.Max).Data);
        Assert.All(Read(rgb, "3").Data, v => Assert.Equal(30 / 255f, v, 6));
        Assert.All(Read(rgb, "1").Data, v => Assert.Equal(10 / 255f, v, 6));
        Assert.Contains("no channel names", Assert.Throws<NucleiInputException>(() => Read(rgb, "DAPI")).Message);

        string single = TestTiffs.Write(PathOf("one.tif"), H, W, [TestTiffs.Constant(H, W, 500)]);
        Assert.Equal(ImageIO.ReadImage(single).Data, Read(single, "1").Data);
        Assert.Contains("--channel 2, but the image is gray", Assert.Throws<NucleiInputException>(() => Read(single, "2")).MessageFor(SettingFlags.Names));
    }

    [Theory]
    [InlineData("0", null, "--channel numbers start at 1")]
    [InlineData(null, "median", "--z must be max, mean, each or stitch, got 'median'")]
    public void Bad_choices_are_usage_errors(string? channel, string? z, string message) =>
        Assert.Contains(message, Assert.Throws<NucleiInputException>(() => PlaneChoice.Parse(channel, z)).MessageFor(SettingFlags.Names));
}
