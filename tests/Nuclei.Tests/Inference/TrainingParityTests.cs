using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Inference;

/// <summary>The predictor prepares input exactly as training did, from the configuration saved in the checkpoint.</summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public class TrainingParityTests
{
    [Theory]
    [InlineData("channel", 1)]
    [InlineData("percentile", 3)]
    public void Pad_mode_maps_equal_the_training_preparation_done_by_hand(string normalize, int channels)
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save(configuration: new[]
        {
            ("pre.normalize", normalize), ("pre.mean", "[0.2, 0.3, 0.4]"), ("pre.std", "[0.5, 0.6, 0.7]"),
            ("pre.percentile_low", "2"), ("pre.percentile_high", "98"),
        });
        var image = SyntheticModels.RandomImage(29, 35, channels);

        // by hand: training's 3-channel conversion and normalisation, reflect pad to the multiple, sigmoid, crop
        var loaded = Checkpoint.Load(ckpt);
        using var net = loaded.Net;
        var norm = new Normalization(new[] { 0.2, 0.3, 0.4 }, new[] { 0.5, 0.6, 0.7 }, normalize == "percentile", 2, 98);
        var planar = norm.ToPlanar(ColorTransforms.ToThreeChannels(image));
        int m = net.SizeMultiple, ph = (m - 29 % m) % m, pw = (m - 35 % m) % m;
        float[] expected;
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            var x = nn.functional.pad(torch.tensor(planar, new long[] { 1, 3, 29, 35 }), new long[] { 0, pw, 0, ph }, PaddingModes.Reflect);
            expected = torch.sigmoid(net.forward(x))[.., .., ..29, ..35].contiguous().data<float>().ToArray();
        }

        using var predictor = new Predictor(new[] { CheckpointModels.Load(ckpt) }, new PredictionOptions { Mode = SizeMode.Pad });
        var maps = predictor.Predict(image);
        int plane = 29 * 35;
        for (int k = 0; k < maps.Heads.Count; k++)
            for (int i = 0; i < plane; i++)
                // a tolerance, not rounding to 5 decimals: the loaded model's folded, channels-last forward rounds
                // differently (~1e-7), which can straddle a rounding boundary
                Assert.Equal(expected[k * plane + i], maps.Maps[k].Data[i], 1e-5);
    }
}
