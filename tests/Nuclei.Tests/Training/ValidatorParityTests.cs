using Nuclei.Cli.Commands;
using Nuclei.Core.Configuration;
using Nuclei.Core.Imaging;
using Nuclei.Tests.Inference;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using Nuclei.Torch.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace Nuclei.Tests.Training;

/// <summary>What training validates is what `nuclei segment` ships: the same labels for the same network, image and settings.</summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public class ValidatorParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("channel", 1, 45, 37)]      // grey image, padded to the size multiple
    [InlineData("percentile", 3, 29, 35)]
    [InlineData("percentile", 3, 64, 48)]   // already a multiple: no padding
    public void Validation_labels_equal_the_segment_commands_for_the_checkpoint_training_would_write(string normalize, int channels, int height, int width)
    {
        using var files = new TestCheckpoints();
        var image = SyntheticModels.RandomImage(height, width, channels, seed: height);
        torch.manual_seed(5);
        using var net = ModelRegistry.Create("camunet", new ModelOptions { BaseWidth = 4, Depth = 2 });
        var config = ConfigurationLoader.Load(null, SyntheticNuclei.TinyRun(1).Concat(new[] { $"pre.normalize={normalize}", "post.min_object_size=2" }));
        config = WithThresholdsThatFindSeveralNuclei(config, net, image, files.Dir);
        net.train();                                                          // as it is between training steps

        var validator = new Validator(Array.Empty<TrainingItem>(), SavedConfiguration.Settings(config));
        var validated = validator.Segment(net, image);
        Assert.True(net.training, "validation must give the network back in training mode");

        var segmented = SegmentWithTheCommandsFactory(SaveAsTrainingWould(net, config, files.Dir), image, files.Dir);
        output.WriteLine($"{normalize}, {channels} channel(s), {width}x{height}: {segmented.MaxLabel()} nuclei");
        Assert.True(segmented.MaxLabel() >= 2, "a test of nothing: the segment path found fewer than 2 nuclei");
        Assert.Equal(segmented.Data, validated.Data);

        // Validation scores exactly those labels: against them as the truth, the mean AP is perfect.
        var score = new Validator(new[] { new TrainingItem("x", image, segmented, "", "fluorescence") }, SavedConfiguration.Settings(config)).Score(net);
        Assert.Equal(1.0, score.MeanAp);
    }

    /// <summary>The checkpoint training writes for this network and configuration.</summary>
    static string SaveAsTrainingWould(SegmentationNet net, NucleiConfiguration config, string dir)
    {
        string path = Path.Combine(dir, "ckpt.nck");
        Checkpoint.Save(path, net, new CheckpointInfo { Configuration = SavedConfiguration.Pairs(config) });
        return path;
    }

    /// <summary>`nuclei segment --model CHECKPOINT` with every option at its default.</summary>
    static LabelImage SegmentWithTheCommandsFactory(string checkpoint, FloatImage image, string dir)
    {
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Models = new[] { checkpoint } });
        return segmenter.Segment(image).Labels;
    }

    /// <summary>
    /// A network with random weights gives probabilities near 0.5 everywhere, so default thresholds find one nucleus or
    /// none; thresholds at quantiles of its own maps make the post-processing split the image into several.
    /// </summary>
    static NucleiConfiguration WithThresholdsThatFindSeveralNuclei(NucleiConfiguration config, SegmentationNet net, FloatImage image, string dir)
    {
        using var predictor = new Predictor(new[] { CheckpointModels.Load(SaveAsTrainingWould(net, config, dir)) });
        var maps = predictor.Predict(image);
        string Quantile(string head, double q)
        {
            var values = maps.Get(head)!.Data.OrderBy(v => v).ToArray();
            return values[(int)(q * (values.Length - 1))].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        return config.With($"param.threshold={Quantile(HeadProbabilities.Semantic, 0.4)}",
            $"param.threshold_edge={Quantile(HeadProbabilities.Contour, 0.8)}", $"param.threshold_mark={Quantile(HeadProbabilities.Marker, 0.7)}");
    }
}
