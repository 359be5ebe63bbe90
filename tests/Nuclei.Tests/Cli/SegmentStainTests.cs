using System.Text.Json;
using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Staining;
using Nuclei.Tests.Core;
using Nuclei.Tests.Inference;
using Nuclei.Cli;

namespace Nuclei.Tests.Cli;

/// <summary>`segment --stain auto|none|he|ihc`: the option, the library's per-image choice, and -v and --json saying it.</summary>
public sealed class SegmentStainTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-stain-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    const string HeSample = "673baf65ae5c571d6be452eb41e79ef3fc2eb3fd238e621c6b7621763b429989";          // purple on bright
    const string FluorescenceSample = "55ff2b0ec48b76e10c7ee18add5794005cd551697f96af865c763d50da78dd9c"; // grey on dark

    static string SampleImage(string id) => DsbDataset.Scan(TestData.SamplesDir).Samples.First(s => s.Id == id).ImagePath;

    [Fact]
    public void Auto_takes_the_he_sample_for_he_and_the_fluorescence_one_for_none_and_says_so_per_image()
    {
        var run = SamplesAndEvaluateTests.RunCli("segment", SampleImage(HeSample), SampleImage(FluorescenceSample),
            "--out", Path.Combine(dir, "auto"), "--stain", "auto", "--json", "-v");
        Assert.True(run.Exit == 0, run.Err);
        var results = JsonDocument.Parse(run.Out).RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r);
        Assert.Equal("he", results[HeSample].GetProperty("stain").GetString());
        Assert.Equal("none", results[FluorescenceSample].GetProperty("stain").GetString());
        Assert.True(results[HeSample].GetProperty("nuclei").GetInt32() > 0);
        Assert.Contains($"{HeSample}: nuclei found of", run.Err);
        Assert.Contains(", scaled x1, stain he (auto)", run.Err);
        Assert.Contains(", scaled x1, stain none (auto)", run.Err);
        Assert.Contains("stain auto", run.Err);   // the run's description line
    }

    [Fact]
    public void A_bad_stain_is_exit_2_naming_the_option_and_help_documents_it()
    {
        var bad = SamplesAndEvaluateTests.RunCli("segment", TestData.SamplesDir, "--out", Path.Combine(dir, "bad"), "--stain", "hed");
        Assert.True(bad.Exit == 2, bad.Err);
        Assert.Contains("--stain must be one of auto, none, he, ihc, grey, got 'hed'", bad.Err);
        Assert.False(Directory.Exists(Path.Combine(dir, "bad")) && Directory.EnumerateFiles(Path.Combine(dir, "bad")).Any());
        var help = SamplesAndEvaluateTests.RunCli("segment", "--help");
        Assert.Contains("--stain", help.Out);
        Assert.Contains("validation chooses", help.Out);
    }

    [Fact]
    public void A_stain_is_refused_for_an_image_segmented_block_wise_naming_it()
    {
        var run = SamplesAndEvaluateTests.RunCli("segment", SampleImage(HeSample), "--out", Path.Combine(dir, "blocks"), "--blocks", "--stain", "he");
        Assert.True(run.Exit == 1, run.Err);
        Assert.Contains("--stain he is not available for block-wise segmentation", run.Err);
    }

    [Fact]
    public void The_option_parses_into_the_library_and_the_classical_method_refuses_it()
    {
        var s = new SegmentCommand.SegmentSettings([TestData.SamplesDir], Path.Combine(dir, "unused"));
        Assert.Null(s.Library.Stain);
        Assert.Equal(Stain.Ihc, SegmenterOptionText.Stain("IHC"));
        Assert.Equal(Stain.Auto, SegmenterOptionText.Stain("auto"));
        var e = Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(s with { Segmenter = new() { Method = SegmentationMethod.Classical, Stain = Stain.He } }));
        Assert.Contains("--stain", e.MessageFor(SettingFlags.Names));
    }

    [Fact]
    public void The_library_shows_the_network_the_haematoxylin_picture_and_keeps_the_image_as_read()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();
        var image = ImageIO.ReadImage(SampleImage(HeSample));
        using var none = NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt] });
        using var he = NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt], Stain = Stain.He });
        var plain = none.Segment(image, "he.png");
        var stained = he.Segment(image, "he.png");
        Assert.Equal(Stain.None, plain.Stain);
        Assert.Equal(Stain.He, stained.Stain);
        Assert.Same(image, stained.Image);
        Assert.NotEqual(plain.Maps!.Maps[0].Data, stained.Maps!.Maps[0].Data);   // the network saw another picture
        Assert.Contains("stain he", he.Description);
        Assert.DoesNotContain("stain", none.Description);
        var grey = new FloatImage(32, 32, 1);
        var e = Assert.Throws<NucleiInputException>(() => he.Segment(grey, "grey.png"));
        Assert.StartsWith("grey.png: SegmenterOptions.Stain he", e.Message);
    }

    [Fact]
    public void Grey_shows_the_network_the_luminance_of_a_colour_image_and_leaves_a_grey_image_as_it_is()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();
        var image = ImageIO.ReadImage(SampleImage(HeSample));
        using var none = NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt] });
        using var grey = NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt], Stain = Stain.Grey });
        var asGrey = grey.Segment(image, "he.png");
        var twin = none.Segment(Nuclei.Core.Augmentation.ColorTransforms.ToGray(image), "he-grey.png");
        Assert.Equal(Stain.Grey, asGrey.Stain);
        Assert.Same(image, asGrey.Image);                                    // outputs drawn on the image as read
        Assert.Equal(twin.Maps!.Maps[0].Data, asGrey.Maps!.Maps[0].Data);    // the network saw the luminance
        Assert.Equal(twin.Labels.Data, asGrey.Labels.Data);
        var single = new FloatImage(32, 32, 1);
        Assert.Equal(none.Segment(single, "g.png").Maps!.Maps[0].Data, grey.Segment(single, "g.png").Maps!.Maps[0].Data);
        Assert.Equal(Stain.Grey, SegmenterOptionText.Stain("grey"));
    }
}
