using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Inference;

public class InputPreparationTests
{
    [Fact]
    public void Gray_is_replicated_for_a_colour_model()
    {
        var gray = new FloatImage(1, 2, 1, new[] { 0.25f, 0.5f });
        var rgb = InputPreparation.AdaptChannels(gray, 3);
        Assert.Equal(new[] { 0.25f, 0.25f, 0.25f, 0.5f, 0.5f, 0.5f }, rgb.Data);
    }

    [Fact]
    public void Colour_becomes_luminance_for_a_gray_model()
    {
        var rgb = new FloatImage(1, 1, 3, new[] { 1f, 0f, 0f });
        Assert.Equal(0.299f, InputPreparation.AdaptChannels(rgb, 1).Data[0], 5);
    }

    [Fact]
    public void Extra_channels_are_dropped_and_matching_ones_kept()
    {
        var four = new FloatImage(1, 1, 4, new[] { 0.1f, 0.2f, 0.3f, 1f });
        Assert.Equal(new[] { 0.1f, 0.2f, 0.3f }, InputPreparation.AdaptChannels(four, 3).Data);
        var three = new FloatImage(1, 1, 3, new[] { 0.1f, 0.2f, 0.3f });
        Assert.Same(three, InputPreparation.AdaptChannels(three, 3));
    }

    [Fact]
    public void Planar_layout_is_channel_major()
    {
        var img = new FloatImage(1, 2, 2, new[] { 1f, 2f, 3f, 4f });
        Assert.Equal(new[] { 1f, 3f, 2f, 4f }, InputPreparation.ToPlanar(img));
    }

    [Fact]
    public void Border_values_follow_a_fixed_normalisation()
    {
        var img = SyntheticModels.RandomImage(9, 7, 3);
        var planar = TestNormalizations.Fixed(img);
        Assert.All(BorderValues.Normalized(img, planar, 0f), v => Assert.Equal(-2f, v, 4));
        Assert.All(BorderValues.Normalized(img, planar, 1f), v => Assert.Equal(2f, v, 4));
    }

    [Fact]
    public void Border_values_follow_a_per_image_normalisation_without_the_border_in_the_statistics()
    {
        var img = SyntheticModels.RandomImage(9, 7, 2);
        var planar = TestNormalizations.PerImageStandardize(img);
        var black = BorderValues.Normalized(img, planar, 0f);
        for (int c = 0; c < 2; c++)
        {
            double mean = 0, sq = 0; int n = img.PixelCount;
            for (int p = 0; p < n; p++) { mean += img.Data[p * 2 + c]; sq += img.Data[p * 2 + c] * (double)img.Data[p * 2 + c]; }
            mean /= n; double std = Math.Sqrt(sq / n - mean * mean);
            Assert.Equal((float)(-mean / std), black[c], 3);
        }
    }

    [Fact]
    public void A_constant_black_border_is_what_a_black_padded_image_gives_after_fixed_normalisation()
    {
        // Same network, fixed normalisation: padding in normalised space with the recovered value
        // must equal padding the raw image with black and normalising it.
        var image = SyntheticModels.RandomImage(21, 27, 3);
        using var model = SyntheticModels.RandomConvNet(normalization: TestNormalizations.Fixed);
        using var predictor = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad, Border = PadBorder.Black }, ownsModels: false);
        var padded = new FloatImage(32, 32, 3);
        for (int y = 0; y < 21; y++) for (int x = 0; x < 27; x++) for (int c = 0; c < 3; c++) padded[y, x, c] = image[y, x, c];
        var a = predictor.Predict(image).Maps[0];
        var b = predictor.Predict(padded).Maps[0];
        for (int y = 0; y < 21; y++) for (int x = 0; x < 27; x++) Assert.Equal(b[y, x], a[y, x], 5);
    }
}
