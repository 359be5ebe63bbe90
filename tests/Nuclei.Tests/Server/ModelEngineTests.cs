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

    static ModelEngine Load() =>
        new(NucleiSegmenter.Load(SegmentCommand.ToOptions(new SegmentCommand.SegmentSettings(Inputs: [], OutDir: "", Method: "model"))));

    static FloatImage Sample() => ImageIO.ReadImage(Path.Combine(TestData.SamplesDir, SampleId, "images", SampleId + ".png"));

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
}
