using Nuclei.Cli.Commands;
using Nuclei.Core.Imaging;
using Nuclei.Server.Engine;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Server;

/// <summary>
/// The server's engine over the bundled model: the maps come at the image's size with or without a diameter, progress
/// rises to 1 as the predictor's forward passes end, and a cancelled job runs no pass at all.
/// Skipped without the bundled model.
/// </summary>
public sealed class ModelEngineTests
{
    const string SampleId = "4217e25defac-crop-64-512";

    static ModelEngine Load(string? stain = null) =>
        new(NucleiSegmenter.Load(new SegmenterOptions { Stain = SegmenterOptionText.Stain(stain) }));

    static FloatImage Sample() => ImageIO.ReadImage(Path.Combine(TestData.SamplesDir, SampleId, "images", SampleId + ".png"));

    [SkippableFact]
    public void The_model_file_is_given_with_its_digest_for_a_training_sets_provenance()
    {
        Skip.If(DefaultModel.Locate() is null, "the bundled model models/default.nck is missing; skipped");
        using var engine = Load();
        var file = Assert.Single(engine.ModelFiles);
        Assert.Equal(Path.GetFullPath(DefaultModel.Locate()!), file.Path);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file.Path))), file.Sha256);
    }

    [SkippableFact]
    public void Maps_come_at_the_image_size_with_progress_to_one_with_and_without_a_diameter()
    {
        Skip.If(DefaultModel.Locate() is null, "the bundled model models/default.nck is missing; skipped");
        using var engine = Load();
        var image = Sample();
        var diameters = new List<Diameter?> { null };
        if (engine.AcceptsDiameter) diameters.Add(new Diameter(30));
        foreach (var diameter in diameters)
        {
            var heard = new List<double>();
            var maps = engine.Predict(image, diameter, new InferenceProgress(default, heard.Add));
            Assert.Equal((image.Height, image.Width), (maps.Body.Height, maps.Body.Width));
            Assert.NotEmpty(heard);
            Assert.Equal(1.0, heard[^1], 9);
            Assert.All(heard.Zip(heard.Skip(1)), p => Assert.True(p.Second >= p.First, $"diameter {diameter}: {p.First} then {p.Second}"));
            Assert.True(engine.PostProcess(maps, engine.Defaults).MaxLabel() > 0, $"diameter {diameter}: no nuclei");
        }
    }

    [SkippableFact]
    public void A_cancelled_prediction_stops_before_its_first_pass()
    {
        Skip.If(DefaultModel.Locate() is null, "the bundled model models/default.nck is missing; skipped");
        using var engine = Load();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var heard = new List<double>();
        Assert.ThrowsAny<OperationCanceledException>(() => engine.Predict(Sample(), null, new InferenceProgress(cancel.Token, heard.Add)));
        Assert.Empty(heard);
    }

    [SkippableFact]
    public void Serve_stain_he_shows_the_network_the_haematoxylin_picture_as_segment_does()
    {
        Skip.If(DefaultModel.Locate() is null, "the bundled model models/default.nck is missing; skipped");
        // the sample's nuclei as dark purple on a bright background: a stained brightfield image
        var grey = Sample();
        var colour = new FloatImage(grey.Height, grey.Width, 3);
        for (int p = 0; p < grey.PixelCount; p++)
        {
            float v = grey.Data[p * grey.Channels];
            (colour.Data[p * 3], colour.Data[p * 3 + 1], colour.Data[p * 3 + 2]) = (1 - 0.5f * v, 1 - 0.8f * v, 1 - 0.3f * v);
        }
        using var he = Load("he");
        using var plain = Load();
        var shown = he.Predict(colour, null, new InferenceProgress(default, _ => { }));
        var expected = plain.Predict(Nuclei.Core.Staining.StainSeparation.HaematoxylinImage(colour), null, new InferenceProgress(default, _ => { }));
        Assert.Equal(expected.Body.Data, shown.Body.Data);
        var asIs = plain.Predict(colour, null, new InferenceProgress(default, _ => { }));
        Assert.NotEqual(asIs.Body.Data, shown.Body.Data);
    }

    [SkippableFact]
    public void A_jobs_reservation_covers_the_buffers_each_of_its_phases_holds_at_once()
    {
        Skip.If(DefaultModel.Locate() is null, "the bundled model models/default.nck is missing; skipped");
        using var engine = Load();
        var image = Sample();
        long pixels = (long)image.Height * image.Width;
        var maps = engine.Predict(image, null, InferenceProgress.None);
        var labels = engine.PostProcess(maps, engine.Defaults);
        long imageBytes = 4L * image.Data.Length;
        // prediction: the image, its planar copy the network reads, the tile sums of every head and their weight (the maps)
        long prediction = imageBytes + imageBytes + maps.Bytes + 4L * pixels;
        // post-processing: the image, maps and labels held, and what partition allocates (masks 1 B/px each, markers and
        // labels 4, two distance transforms 4 each, the landscape 4, the queue) with the measurements' lists: about 28 B/px
        long postProcessing = imageBytes + maps.Bytes + 4L * labels.Data.Length + 28L * pixels;
        long reserved = Nuclei.Server.Sessions.SegmentationService.EstimatedBytes(pixels);
        Assert.True(reserved >= prediction, $"reserved {reserved} bytes, prediction holds {prediction}");
        Assert.True(reserved >= postProcessing, $"reserved {reserved} bytes, post-processing holds {postProcessing}");
    }
}
