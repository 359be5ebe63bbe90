using Nuclei.Core;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Inference;

public class EnsembleTests
{
    [Fact]
    public void Two_copies_of_one_model_equal_the_model_alone()
    {
        var image = SyntheticModels.RandomImage(40, 56, 3);
        using var a = SyntheticModels.RandomConvNet(seed: 3);
        using var b = SyntheticModels.RandomConvNet(seed: 3);
        using var single = new Predictor(new[] { a }, new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        using var pair = new Predictor(new[] { a, b }, new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        var s = single.Predict(image);
        var p = pair.Predict(image);
        for (int k = 0; k < s.Heads.Count; k++)
            Assert.True(SyntheticModels.MaxAbsDifference(s.Maps[k], p.Maps[k]) < 1e-6);
    }

    [Fact]
    public void Weights_average_pixel_wise_per_head_even_across_architectures()
    {
        var image = SyntheticModels.RandomImage(30, 30, 3);
        using var a = SyntheticModels.RandomConvNet(seed: 4);
        // different input channels, size multiple, normalisation and head order: still one ensemble
        using var b = SyntheticModels.RandomConvNet(inChannels: 1, seed: 5, sizeMultiple: 8, normalization: TestNormalizations.PerImageStandardize,
            heads: new[] { HeadProbabilities.Marker, HeadProbabilities.Semantic, HeadProbabilities.Contour });
        var opts = new PredictionOptions { Mode = SizeMode.Pad };
        using var pa = new Predictor(new[] { a }, opts, ownsModels: false);
        using var pb = new Predictor(new[] { b }, opts, ownsModels: false);
        a.Weight = 3; b.Weight = 1;
        using var both = new Predictor(new[] { a, b }, opts, ownsModels: false);
        var ma = pa.Predict(image); var mb = pb.Predict(image); var mab = both.Predict(image);
        foreach (var head in mab.Heads)
            for (int i = 0; i < image.PixelCount; i++)
                Assert.Equal(0.75f * ma.Get(head)!.Data[i] + 0.25f * mb.Get(head)!.Data[i], mab.Get(head)!.Data[i], 5);
    }

    [Fact]
    public void Models_whose_heads_disagree_are_refused_with_both_named()
    {
        using var a = SyntheticModels.RandomConvNet(source: "a.ckpt");
        using var b = SyntheticModels.RandomConvNet(source: "b.ckpt", heads: new[] { HeadProbabilities.Semantic, HeadProbabilities.Contour });
        var e = Assert.Throws<NucleiInputException>(() => new Predictor(new[] { a, b }, ownsModels: false));
        Assert.Contains("a.ckpt", e.Message);
        Assert.Contains("b.ckpt", e.Message);
    }
}
