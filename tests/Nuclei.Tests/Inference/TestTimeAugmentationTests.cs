using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Inference;

// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public class TestTimeAugmentationTests
{
    public static IEnumerable<object[]> AllTransforms() => Enum.GetValues<TtaTransform>().Select(t => new object[] { t.ToString() });

    [Theory]
    [MemberData(nameof(AllTransforms))]
    public void Invert_undoes_apply_exactly_on_a_non_square_batch(string view)
    {
        var t = Enum.Parse<TtaTransform>(view);
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(2 * 3 * 5 * 7, dtype: ScalarType.Float32).reshape(2, 3, 5, 7);
        var back = TestTimeAugmentation.Invert(TestTimeAugmentation.Apply(x, t), t);
        Assert.Equal(x.shape, back.shape);
        Assert.Equal(x.data<float>().ToArray(), back.contiguous().data<float>().ToArray());
    }

    [Theory]
    [MemberData(nameof(AllTransforms))]
    public void Apply_matches_the_hand_written_index_mapping(string view)
    {
        var t = Enum.Parse<TtaTransform>(view);
        const int H = 4, W = 6;
        var img = new FloatImage(H, W, 1, Enumerable.Range(0, H * W).Select(i => (float)i).ToArray());
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(img.Data, new long[] { 1, 1, H, W });
        float[] got = TestTimeAugmentation.Apply(x, t).contiguous().data<float>().ToArray();
        Assert.Equal(SyntheticModels.Transform(img, t).Data, got);
    }

    [Theory]
    [MemberData(nameof(AllTransforms))]
    public void A_pointwise_network_gives_the_same_maps_with_any_single_view(string view)
    {
        var t = Enum.Parse<TtaTransform>(view);
        // A 1x1 convolution commutes with every flip/rotation: a view whose inverse is wrong would show up here.
        var image = SyntheticModels.RandomImage(24, 40, 3);
        using var model = SyntheticModels.PointwiseNet();
        using var plain = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        using var viewed = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad, Transforms = new[] { t } }, ownsModels: false);
        var a = plain.Predict(image);
        var b = viewed.Predict(image);
        for (int k = 0; k < a.Heads.Count; k++)
            Assert.True(SyntheticModels.MaxAbsDifference(a.Maps[k], b.Maps[k]) < 1e-6, $"{t}, head {a.Heads[k]}");
    }

    [Theory]
    [MemberData(nameof(AllTransforms))]
    public void With_full_tta_the_maps_of_a_transformed_image_are_the_transformed_maps(string view)
    {
        var t = Enum.Parse<TtaTransform>(view);
        // Averaging over the whole D4 group makes any network exactly equivariant (up to float rounding).
        var image = SyntheticModels.RandomImage(32, 48, 3);
        using var model = SyntheticModels.RandomConvNet();
        using var predictor = new Predictor(new[] { model },
            new PredictionOptions { Mode = SizeMode.Pad, Transforms = TestTimeAugmentation.Standard }, ownsModels: false);
        var original = predictor.Predict(image);
        var ofTransformed = predictor.Predict(SyntheticModels.Transform(image, t));
        for (int k = 0; k < original.Heads.Count; k++)
        {
            var expected = SyntheticModels.Transform(original.Maps[k], t);
            Assert.True(SyntheticModels.MaxAbsDifference(expected, ofTransformed.Maps[k]) < 1e-5, $"{t}, head {original.Heads[k]}");
        }
    }

    [Fact]
    public void The_standard_set_holds_each_symmetry_of_the_square_once()
    {
        var img = new FloatImage(3, 3, 1, Enumerable.Range(0, 9).Select(i => (float)i).ToArray());
        var seen = TestTimeAugmentation.Standard.Select(t => string.Join(",", SyntheticModels.Transform(img, t).Data)).ToList();
        Assert.Equal(8, seen.Count);
        Assert.Equal(8, seen.Distinct().Count());
    }
}
