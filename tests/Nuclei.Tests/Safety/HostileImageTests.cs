using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Big;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Checking;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Server;
using Nuclei.Tests.Server;
using static Nuclei.Tests.Safety.HostileImages;

namespace Nuclei.Tests.Safety;

/// <summary>
/// Files whose headers lie or whose data is cut short go through every reader (whole image, plane by plane, block-wise,
/// label maps, the library, the CLI batch, the server) and are refused from their headers with one clear message
/// naming the file and the limit or the problem, before anything is allocated for the lie.
/// </summary>
public sealed class HostileImageTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-hostile-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Save(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static T Refused<T>(Action read, string path, params string[] expected) where T : NucleiInputException
    {
        var e = Assert.Throws<T>(read);
        Assert.StartsWith(path + ": ", e.Message);
        foreach (string text in expected) Assert.Contains(text, e.Message);
        return e;
    }

    public static TheoryData<string, byte[], string> LyingHeaders => new()
    {
        { "huge.png", LyingPng(100_000, 100_000), "the image is 100000x100000 = 10000 megapixels, over the limit of 1000 megapixels" },
        { "huge.tif", Tiff([Gray(1, 1) with { Width = 100_000, Height = 100_000 }]), "100000x100000 = 10000 megapixels, over the limit of 1000 megapixels" },
        { "float40k.tif", Tiff([LyingDeflated(40_000, 40_000) with { Bits = 32 }]), "40000x40000 = 1600 megapixels, over the limit" },
        { "huge.jpg", LyingJpeg(65_535, 65_535), "65535x65535 = 4294.8 megapixels, over the limit" },
        { "page2.tif", Tiff([Gray(64, 64), LyingDeflated(100_000, 20_000)]), "page 2 of 2 is 100000x20000 = 2000 megapixels, over the limit" },
    };

    [Theory]
    [MemberData(nameof(LyingHeaders))]
    public void A_header_over_the_pixel_limit_is_refused_by_every_reader_before_decoding(string name, byte[] bytes, string expected)
    {
        string path = Save(name, bytes);
        Refused<ImageLimitException>(() => ImageIO.ReadImage(path), path, expected);
        Refused<ImageLimitException>(() => MultiPlaneImage.Read(new InputImage("x", path), new PlaneChoice(Channel: "1")), path, expected);
        Refused<ImageLimitException>(() => new SlideReader(path).Dispose(), path, expected);
        Refused<ImageLimitException>(() => BlockSegmentation.IsBig(path), path, expected);
        Refused<ImageLimitException>(() => ImageIO.ReadLabels(path), path, expected);
    }

    [Fact]
    public void A_small_first_page_does_not_hide_a_huge_second_one_from_the_whole_image_limit()
    {
        string path = Save("page2.tif", Tiff([Gray(64, 64), PaddedDeflated(30_000, 30_000)]));
        Assert.False(BlockSegmentation.IsBig(path)); // several planes: read plane by plane, never block-wise from page 1
        Refused<ImageLimitException>(() => MultiPlaneImage.Read(new InputImage("x", path), new PlaneChoice(Channel: "2")), path,
            "page 2 of 2 is 30000x30000 = 900 megapixels, over the limit of 268.4 megapixels for an image decoded whole");
        // a limit of the caller's, over all pages together
        var declared = ImageGate.Open(path);
        Refused<ImageLimitException>(() => ImageGate.AdmitWhole(declared, declared.Planes, ImageLimits.Default with { MaxWholePixels = 2_000_000_000, MaxDecodedBytes = 1L << 30 }),
            path, "GiB of samples, over the limit of 1 GiB");
    }

    [Fact]
    public async Task The_server_refuses_a_huge_later_page_with_413_before_decoding()
    {
        var engine = new FakeEngine();
        using var factory = new ServerFactory(engine);
        using var client = factory.CreateClient();
        byte[] tiff = Tiff([Gray(64, 64), LyingDeflated(30_000, 30_000)]);
        var content = new ByteArrayContent(tiff);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var response = await client.PostAsync("/api/images?name=stack.tif&channel=2", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        string error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith("stack.tif: ", error);
        Assert.Contains("page 2 of 2 is 30000x30000 = 900 megapixels, over the limit of 16 megapixels", error);
        Assert.Equal(0, engine.Predictions);
    }

    public static TheoryData<string, string> LyingPlaneCounts => new()
    {
        { "ImageJ=1.54f\nimages=2\nchannels=99999999\nslices=99999999\n", "declares 9999999800000001 planes (C=99999999, Z=99999999, T=1) but the file holds 2 page(s)" },
        { "ImageJ=1.54f\nchannels=65536\nslices=65536\nframes=2\n", "declares 8589934592 planes (C=65536, Z=65536, T=2) but the file holds 2 page(s)" },
        { Inputs.TestTiffs.OmeXml(4, 4, 1, 2).Replace("SizeZ=\"2\"", "SizeZ=\"2000000000\""), "declares 2000000000 planes (C=1, Z=2000000000, T=1) but the file holds 2 page(s)" },
        { Inputs.TestTiffs.OmeXml(4, 4, 1, 2, tiffData: "<TiffData IFD=\"0\" FirstZ=\"2000000000\" PlaneCount=\"2000000000\"/>"), "is outside the image's 1 channel(s), 2 z plane(s)" },
    };

    [Theory]
    [MemberData(nameof(LyingPlaneCounts))]
    public void Declared_plane_counts_are_compared_with_the_pages_before_any_plane_is_mapped(string description, string expected)
    {
        string path = Save("stack.tif", Tiff([Gray(4, 4) with { Description = description }, Gray(4, 4)]));
        Refused<NucleiInputException>(() => MultiPlaneImage.Describe(path), path, expected);
        Refused<NucleiInputException>(() => MultiPlaneImage.Read(new InputImage("x", path), new PlaneChoice("1", ZProjection.Max)), path, expected);
    }

    [Fact]
    public void Pages_past_32767_are_counted_and_read_as_they_are()
    {
        const int count = 65_541;
        var pages = Enumerable.Range(0, count).Select(k => Gray(1, 1, (byte)(k % 251))).ToList();
        string path = Save("many.tif", Tiff(pages));
        var layout = MultiPlaneImage.Describe(path)!;
        Assert.Equal(count, layout.Pages.Count);
        Refused<NucleiInputException>(() => MultiPlaneImage.Read(new InputImage("x", path), PlaneChoice.Default), path, $"{count} pages without OME or ImageJ metadata");
        var page = MultiPlaneImage.Read(new InputImage("x", path), new PlaneChoice(Channel: "40000"));
        Assert.Equal(39_999 % 251 / 255f, page.Data[0], 6);
    }

    [Fact]
    public void An_ifd_chain_that_loops_ends_and_a_page_count_over_the_limit_is_refused()
    {
        string looped = Save("loop.tif", Tiff([Gray(4, 4, 10), Gray(4, 4, 20)], loop: true));
        Assert.Equal(2, ImageGate.Open(looped).Pages.Count);
        Assert.Equal(2, MultiPlaneImage.Describe(looped)!.Pages.Count);

        string many = Save("five.tif", Tiff(Enumerable.Range(0, 5).Select(_ => Gray(2, 2)).ToList()));
        Refused<ImageLimitException>(() => ImageGate.Open(many, ImageLimits.Default with { MaxPlanes = 3 }), many, "more than 3 pages, over the limit of 3");
    }

    [Theory]
    [InlineData(1_500_000_000)]
    [InlineData(int.MaxValue)]
    public void A_label_value_over_the_limit_is_refused_by_the_label_readers(int label)
    {
        var labels = new LabelImage(256, 256);
        labels.Data[128 * 256 + 128] = label;
        string image = Path.Combine(dir, "cells.png");
        ImageIO.WriteImage8(image, new FloatImage(256, 256, 1));
        string path = ImageIO.WriteLabels(Path.Combine(dir, "cells.labels.tif"), labels);
        string expected = $"label map holds the label {label} at pixel 128,128, over the limit of 16777216";
        Refused<ImageLimitException>(() => ImageIO.ReadLabels(path), path, expected);
        Refused<ImageLimitException>(() => MaskPixels.Read(path), path, expected);
        var check = SampleChecker.Check(DsbDataset.Scan(dir).Samples.Single(), minSize: 10);
        Assert.Contains(check.Problems, p => p.Kind == ProblemKind.Unreadable && p.Detail.Contains(expected));
    }

    public static TheoryData<string, byte[], string> CutFiles => new()
    {
        { "cut.jpg", Cut(Encode(".jpg", 256, 256), 1 / 3.0), "no end-of-image marker after its compressed data" },
        { "cut.png", Cut(Encode(".png", 300, 300), 0.3), "needs" },
        { "cut.tif", Tiff([Gray(64, 64), Gray(64, 64)])[..^20], "its page 2 directory" },
        { "cut.bmp", Cut(Encode(".bmp", 64, 64), 0.5), "rows need" },
        { "thin.tif", Tiff([LyingDeflated(16_000, 16_000)]), "bytes of deflated strips cannot hold 16000x16000 pixels (deflate expands at most 1032:1)" },
    };

    [Theory]
    [MemberData(nameof(CutFiles))]
    public void A_truncated_image_is_refused_unless_accepted(string name, byte[] bytes, string expected)
    {
        string path = Save(name, bytes);
        Refused<NucleiInputException>(() => ImageIO.ReadImage(path), path, "it is incomplete", expected, "--accept-truncated");
        Refused<NucleiInputException>(() => new SlideReader(path).Dispose(), path, "it is incomplete");
        Assert.NotNull(ImageGate.Open(path, ImageLimits.Default with { AcceptTruncated = true }).Truncation);
    }

    [Fact]
    public void An_honest_file_compressed_as_far_as_deflate_goes_is_not_taken_for_a_lie()
    {
        string path = Save("black.png", BlackPng(2048, 2048));
        Assert.Null(ImageGate.Open(path).Truncation);
        Assert.Equal(2048 * 2048, ImageIO.ReadImage(path).Data.Length);

        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.SmallestSize)) zlib.Write(new byte[2048 * 2048]);
        string tiff = Save("black.tif", Tiff([new Page(2048, 2048, deflated.ToArray(), Compression: 8)]));
        Assert.Null(ImageGate.Open(tiff).Truncation);
        Assert.Equal(2048 * 2048, ImageIO.ReadImage(tiff).Data.Length);
    }

    [Fact]
    public void The_library_refuses_a_lying_file_with_an_input_error_and_goes_on_with_the_next()
    {
        string huge = Save("huge.png", LyingPng(100_000, 100_000));
        string good = Save("good.png", Encode(".png", 64, 64));
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Method = SegmentationMethod.Classical });
        Refused<ImageLimitException>(() => segmenter.Segment(huge), huge, "over the limit of 1000 megapixels");
        var outcomes = segmenter.SegmentMany([huge, good]).ToList();
        Assert.IsType<ImageLimitException>(outcomes[0].Error);
        Assert.Null(outcomes[1].Error);
    }

    [Fact]
    public void A_cli_batch_fails_the_hostile_images_goes_on_and_exits_1()
    {
        string images = Path.Combine(dir, "in");
        Directory.CreateDirectory(images);
        File.WriteAllBytes(Path.Combine(images, "huge.png"), LyingPng(100_000, 100_000));
        File.WriteAllBytes(Path.Combine(images, "cut.jpg"), Cut(Encode(".jpg", 96, 96), 1 / 3.0));
        File.WriteAllBytes(Path.Combine(images, "good.png"), Encode(".png", 64, 64));
        string outDir = Path.Combine(dir, "out");

        Assert.Equal(1, SegmentCommand.Run(new SegmentCommand.SegmentSettings([images], outDir, Segmenter: new() { Method = SegmentationMethod.Classical })));
        Assert.True(File.Exists(Path.Combine(outDir, "good.labels.png")));
        Assert.False(File.Exists(Path.Combine(outDir, "huge.labels.png")));
        Assert.False(File.Exists(Path.Combine(outDir, "cut.labels.png")));

        string stack = Save("stack.tif", Tiff([Gray(64, 64), LyingDeflated(30_000, 30_000)]));
        Assert.Equal(1, SegmentCommand.Run(new SegmentCommand.SegmentSettings([stack], Path.Combine(dir, "stack"), Segmenter: new() { Method = SegmentationMethod.Classical, Planes = new PlaneChoice(Channel: "2") })));

        // --accept-truncated reads the cut JPEG; a lower --max-megapixels refuses the rest, the limits end with the run
        string accepted = Path.Combine(dir, "accepted");
        var limits = ImageLimits.Default with { AcceptTruncated = true };
        Assert.Equal(0, SegmentCommand.Run(new SegmentCommand.SegmentSettings([Path.Combine(images, "cut.jpg")], accepted, Segmenter: new() { Method = SegmentationMethod.Classical }, Limits: limits)));
        Assert.True(File.Exists(Path.Combine(accepted, "cut.labels.png")));
        Assert.Equal(ImageLimits.Default, ImageLimits.Current);
        Assert.Equal(1, SegmentCommand.Run(new SegmentCommand.SegmentSettings([Path.Combine(images, "good.png")], Path.Combine(dir, "small"), Segmenter: new() { Method = SegmentationMethod.Classical },
            Limits: ImageLimits.Default with { MaxPixels = 1000 })));
    }

    [Fact]
    public void The_nuclei_program_lists_a_refused_image_as_one_line_naming_the_file_and_the_limit()
    {
        string images = Path.Combine(dir, "cli");
        Directory.CreateDirectory(images);
        File.WriteAllBytes(Path.Combine(images, "huge.png"), LyingPng(100_000, 100_000));
        File.WriteAllBytes(Path.Combine(images, "good.png"), Encode(".png", 64, 64));
        var run = KillAndDiskFullTests.RunCli(["segment", images, "--out", Path.Combine(dir, "cli-out"), "--method", "classical"]);
        Assert.True(run.Exit == 1, run.Err);
        Assert.Contains("1 of 2 item(s) failed:", run.Err);
        Assert.Contains($"  {Path.Combine(images, "huge.png")}: the image is 100000x100000 = 10000 megapixels, over the limit of 1000 megapixels (--max-megapixels)", run.Err);
        Assert.DoesNotContain("Exception", run.Err);

        var bad = KillAndDiskFullTests.RunCli(["segment", images, "--out", Path.Combine(dir, "cli-bad"), "--method", "classical", "--max-megapixels", "0"]);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--max-megapixels must be at least 1, got 0", bad.Err);
    }
}
