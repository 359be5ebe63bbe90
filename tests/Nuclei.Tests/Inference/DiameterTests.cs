using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Core.PostProcessing;
using Nuclei.Tests.PostProcessing;
using Nuclei.Torch.Inference;
using static TorchSharp.torch;

namespace Nuclei.Tests.Inference;

public class DiameterTests
{
    /// <summary>A "network" that calls bright pixels nuclei and learns no scale: what changes with --diameter is only the grid.</summary>
    static InferenceModel ThresholdNet(double trainingDiameter) =>
        new(x => (x[.., ..1] - 0.5f) * 20f, [HeadProbabilities.Semantic], 1, 8, 32, null, "threshold") { MedianDiameter = trainingDiameter };

    static (FloatImage Image, LabelImage Truth) Discs(double radius)
    {
        int size = (int)(radius * 10);
        var discs = new[] { (2.5 * radius, 2.5 * radius, radius), (2.5 * radius, 7 * radius, radius), (7 * radius, 4 * radius, radius) };
        var image = new FloatImage(size, size, 1, Shapes.ToFloat(Shapes.Discs(size, size, discs)));
        var truth = new LabelImage(size, size);
        for (int k = 0; k < discs.Length; k++)
        {
            var one = Shapes.Discs(size, size, discs[k]);
            for (int i = 0; i < one.Length; i++) if (one[i]) truth.Data[i] = k + 1;
        }
        return (image, truth);
    }

    [Theory]
    [InlineData(6.0)]
    [InlineData(24.0)]
    public void Auto_diameter_brings_labels_back_to_the_original_grid(double radius)
    {
        var (image, truth) = Discs(radius);
        using var model = ThresholdNet(trainingDiameter: 20);
        using var predictor = new Predictor([model], new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        var segmenter = new ModelSegmenter(predictor, new PartitionOptions { MarkerSource = MarkerSource.Peaks, MinSize = 3 })
        {
            Diameter = Diameter.Auto,
            ModelDiameters = new LearnedDiameters(20),
        };
        var labels = segmenter.Segment(image, null, out var maps);
        Assert.Equal(image.Height, labels.Height);
        Assert.Equal(image.Width, labels.Width);
        Assert.Equal(image.Height, maps.Height);
        Assert.Equal(3, labels.MaxLabel());
        var score = DsbMetric.Score(truth, labels);
        Assert.Equal(1.0, score.PerThreshold[0].Precision);             // every disc found once at IoU > 0.5
        Assert.True(score.MeanAp >= 0.75, $"mean AP {score.MeanAp}");   // nearest-neighbour resampling costs the strictest thresholds on small discs
    }

    [Fact]
    public void A_fixed_diameter_rescales_by_the_ratio_to_the_training_diameter()
    {
        Assert.Equal(0.5, ScaleMatching.Factor(20, 40));
        Assert.Equal(2.0, ScaleMatching.Factor(20, 10));
        Assert.Equal(1.0, ScaleMatching.Factor(20, 22));                 // within tolerance: no second pass
        Assert.Equal(ScaleMatching.MaxFactor, ScaleMatching.Factor(20, 1));
    }

    [Fact]
    public void Nuclei_of_sizes_the_model_learned_are_not_rescaled()
    {
        var learned = new LearnedDiameters(20, MinScale: 0.5, MaxScale: 2.0);   // segments 10..80 px nuclei as they are
        Assert.Equal(1.0, ScaleMatching.Factor(learned, 11));
        Assert.Equal(1.0, ScaleMatching.Factor(learned, 79));
        Assert.Equal(4.0, ScaleMatching.Factor(learned, 5));                    // outside: to the median
        Assert.Equal(ScaleMatching.MinFactor, ScaleMatching.Factor(learned, 100)); // to the median, within the limits
        Assert.Equal(2.0, ScaleMatching.Factor(new LearnedDiameters(20), 10)); // no recorded range: the median alone
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("17.5", 17.5)]
    public void Diameter_parses_auto_and_pixels(string text, double? pixels)
    {
        var d = Diameter.Parse(text)!;
        Assert.Equal(pixels, d.Pixels);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("big")]
    public void Bad_diameters_are_input_errors(string text) =>
        Assert.Throws<NucleiInputException>(() => Diameter.Parse(text));

    [Fact]
    public void A_checkpoint_without_a_training_diameter_is_an_error_with_diameter()
    {
        var (image, _) = Discs(8);
        using var model = ThresholdNet(20);
        using var predictor = new Predictor([model], ownsModels: false);
        var segmenter = new ModelSegmenter(predictor, new PartitionOptions()) { Diameter = new Diameter(16) };
        var e = Assert.Throws<NucleiInputException>(() => segmenter.Segment(image));
        Assert.Contains("training diameter", e.Message);
    }

    [Fact]
    public void Resized_labels_keep_every_nucleus_large_enough_and_are_renumbered()
    {
        var (_, truth) = Discs(10);
        var down = Resampling.Resize(truth, truth.Height / 2, truth.Width / 2);
        Assert.Equal(3, down.MaxLabel());
        var up = Resampling.Resize(down, truth.Height, truth.Width);
        Assert.True(DsbMetric.Score(truth, up).MeanAp > 0.7);
        Assert.Equal(20.0, NucleusSize.MedianDiameter(truth)!.Value, 0.5);
    }
}
