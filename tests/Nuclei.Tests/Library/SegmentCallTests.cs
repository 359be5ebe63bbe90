using Nuclei.Core;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Library;

/// <summary>
/// Settings of one call (<see cref="SegmentCall"/>) over a loaded segmenter: the same nuclei as a segmenter loaded with
/// them, and maps predicted once, post-processed many times, as a server does.
/// </summary>
public class SegmentCallTests
{
    static readonly string Model = Path.Combine(TestData.RepoRoot, "models", "default.nck");
    static readonly string Sample = Directory.EnumerateFiles(TestData.SamplesDir, "*.png", SearchOption.AllDirectories)
        .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "images").Order(StringComparer.Ordinal).First();

    [Fact]
    public void A_diameter_and_thresholds_given_per_call_find_what_a_segmenter_loaded_with_them_finds()
    {
        var changes = new PostProcessingSettings { Threshold = 0.4f, MinObjectSize = 25 };
        var diameter = Diameter.Parse("30");
        using var plain = NucleiSegmenter.Load(new SegmenterOptions { Models = [Model] });
        using var loaded = NucleiSegmenter.Load(new SegmenterOptions { Models = [Model], Diameter = diameter, PostProcessing = changes });
        var image = plain.Segment(Sample).Image;

        var perCall = plain.Segment(image, new SegmentCall { Diameter = diameter, PostProcessing = changes });
        var expected = loaded.Segment(image);
        Assert.True(expected.Count > 0);
        Assert.Equal(expected.Labels.Data, perCall.Labels.Data);
        Assert.Equal(expected.Scale, perCall.Scale);
        // and the segmenter's own settings are untouched by the call
        Assert.Equal(plain.Segment(image).Labels.Data, plain.Segment(image, new SegmentCall()).Labels.Data);
    }

    [Fact]
    public void Maps_predicted_once_and_post_processed_give_the_nuclei_of_a_whole_segmentation()
    {
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Models = [Model] });
        var image = segmenter.Segment(Sample).Image;
        var maps = segmenter.Predict(image);
        foreach (var changes in new[] { new PostProcessingSettings(), new PostProcessingSettings { Threshold = 0.7f, MinObjectSize = 60 } })
            Assert.Equal(segmenter.Segment(image, new SegmentCall { PostProcessing = changes }).Labels.Data, segmenter.PostProcess(maps, changes).Data);

        // at a diameter: the maps of the whole segmentation, brought back to the image's size
        var call = new SegmentCall { Diameter = Diameter.Parse("12") };
        var scaled = segmenter.Predict(image, call);
        Assert.Equal((image.Height, image.Width), (scaled.Height, scaled.Width));
        Assert.Equal(segmenter.Segment(image, call).Maps!.Get(HeadProbabilities.Semantic)!.Data, scaled.Get(HeadProbabilities.Semantic)!.Data);
    }

    [Fact]
    public void The_classical_method_refuses_a_diameter_per_call_naming_it()
    {
        using var classical = NucleiSegmenter.Load(new SegmenterOptions { Method = SegmentationMethod.Classical });
        var image = classical.Segment(Sample).Image;
        var e = Assert.Throws<NucleiInputException>(() => classical.Segment(image, new SegmentCall { Diameter = Diameter.Parse("30"), Source = "cells.png" }));
        Assert.Contains("Diameter", e.Message);
        Assert.Throws<InvalidOperationException>(() => classical.Predict(image));
    }
}
