using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Core.PostProcessing;
using Nuclei.Tests.PostProcessing;
using Nuclei.Torch.Inference;
using static TorchSharp.torch;

namespace Nuclei.Tests.Inference;

// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
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
    public void A_given_diameter_rescales_even_nuclei_of_a_size_the_model_learned()
    {
        var (image, _) = Discs(20);   // nuclei 40 px across, inside the 10-80 px the model segments as they are
        var seen = new List<long>();
        using var model = new InferenceModel(x => { lock (seen) seen.Add(x.shape[2]); return (x[.., ..1] - 0.5f) * 20f; },
            [HeadProbabilities.Semantic], 1, 8, 32, null, "threshold") { MedianDiameter = 20 };
        using var predictor = new Predictor([model], new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        var learned = new LearnedDiameters(20, MinScale: 0.5, MaxScale: 2.0);
        var partition = new PartitionOptions { MarkerSource = MarkerSource.Peaks, MinSize = 3 };

        var given = new ModelSegmenter(predictor, partition) { Diameter = new Diameter(40), ModelDiameters = learned };
        var labels = given.Segment(image, null, out var maps, out var scale);
        Assert.Equal(new ImageScale(40, 0.5), scale);
        Assert.True(seen.Max() < image.Height, $"the network saw {seen.Max()} rows of a {image.Height}-row image halved");
        Assert.Equal((image.Height, image.Width), (labels.Height, labels.Width));
        Assert.Equal((image.Height, image.Width), (maps.Height, maps.Width));
        Assert.Equal(3, labels.MaxLabel());

        // auto measures them and leaves them at the image's own scale
        seen.Clear();
        var auto = new ModelSegmenter(predictor, partition) { Diameter = Diameter.Auto, ModelDiameters = learned };
        auto.Segment(image, null, out _, out var autoScale);
        Assert.Equal(1.0, autoScale.Factor);
        Assert.Equal(40, autoScale.Diameter!.Value, 1.0);
        Assert.Null(autoScale.Doubt);
        Assert.Equal(image.Height, seen.Max());
    }

    [Fact]
    public void A_given_diameter_is_the_ratio_to_the_training_diameter_within_the_limits_only()
    {
        Assert.Equal(20 / 22.0, ScaleMatching.Given(20, 22));   // no tolerance: asked for, done
        Assert.Equal(1.0, ScaleMatching.Given(20, 20));
        Assert.Equal(ScaleMatching.MaxFactor, ScaleMatching.Given(20, 1));
        Assert.Equal(ScaleMatching.MinFactor, ScaleMatching.Given(20, 1000));
    }

    [Fact]
    public void Auto_keeps_the_image_scale_when_its_first_pass_found_too_few_nuclei()
    {
        var image = new FloatImage(120, 120, 1, Shapes.ToFloat(Shapes.Discs(120, 120, (60, 60, 6))));   // one 12 px nucleus
        using var model = ThresholdNet(trainingDiameter: 20);
        using var predictor = new Predictor([model], new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        var segmenter = new ModelSegmenter(predictor, new PartitionOptions { MarkerSource = MarkerSource.Peaks, MinSize = 3 })
        {
            Diameter = Diameter.Auto,
            ModelDiameters = new LearnedDiameters(20),   // no learned range: a trusted 12 px would be enlarged
        };
        var labels = segmenter.Segment(image, null, out _, out var scale);
        Assert.Equal(1, labels.MaxLabel());
        Assert.Equal(1.0, scale.Factor);
        Assert.Null(scale.Diameter);
        Assert.Contains("found 1 nucleus at the image's own scale, too few", scale.Doubt);
    }

    [Fact]
    public void A_first_pass_of_tiny_nuclei_or_of_nuclei_covering_little_of_the_foreground_is_not_trusted()
    {
        var specks = new LabelImage(40, 40);
        for (int k = 0; k < 4; k++) { specks[5, 5 + 8 * k] = k + 1; specks[6, 5 + 8 * k] = k + 1; }   // 2-pixel objects
        Assert.Contains("implausibly small", AutoDiameterTrust.Doubt(specks, null));

        var discs = new[] { (20.0, 20.0, 4.0), (20.0, 60.0, 4.0), (60.0, 40.0, 4.0) };
        var labels = Labelled(100, discs);   // about 1.5 % of the image
        var everywhere = new FloatImage(100, 100, 1, Enumerable.Repeat(1f, 100 * 100).ToArray());
        Assert.Contains("of the foreground at the image's own scale, too little", AutoDiameterTrust.Doubt(labels, everywhere));
        var onTheNuclei = new FloatImage(100, 100, 1, Shapes.ToFloat(Shapes.Discs(100, 100, discs)));
        Assert.Null(AutoDiameterTrust.Doubt(labels, onTheNuclei));
    }

    static LabelImage Labelled(int size, (double Cy, double Cx, double R)[] discs)
    {
        var labels = new LabelImage(size, size);
        for (int k = 0; k < discs.Length; k++)
        {
            var one = Shapes.Discs(size, size, discs[k]);
            for (int i = 0; i < one.Length; i++) if (one[i]) labels.Data[i] = k + 1;
        }
        return labels;
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
