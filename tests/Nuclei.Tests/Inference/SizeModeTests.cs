using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;
using Nuclei.Cli;

namespace Nuclei.Tests.Inference;

public class SizeModeTests
{
    [Fact]
    public void Tiled_maps_equal_whole_image_maps_away_from_the_border()
    {
        var image = SyntheticModels.RandomImage(150, 230, 3);
        using var model = SyntheticModels.RandomConvNet();
        using var whole = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        using var tiled = new Predictor(new[] { model },
            new PredictionOptions { Mode = SizeMode.Tile, TileSize = 64, TileOverlap = 24, TileBatch = 3 }, ownsModels: false);
        var a = whole.Predict(image);
        var b = tiled.Predict(image);
        for (int k = 0; k < a.Heads.Count; k++)
        {
            Assert.Equal(image.Height, b.Maps[k].Height);
            Assert.Equal(image.Width, b.Maps[k].Width);
            float diff = SyntheticModels.MaxAbsDifference(a.Maps[k], b.Maps[k], margin: 8);
            Assert.True(diff < 1e-3, $"head {a.Heads[k]}: tiles differ from the whole image by {diff}");
        }
    }

    [Fact]
    public void Tile_weights_are_smooth_and_cover_every_pixel()
    {
        int[] starts = TileLayout.Starts(300, 64, 24);
        Assert.Equal(0, starts[0]);
        Assert.Equal(300 - 64, starts[^1]);
        var sum = new double[300];
        foreach (int s in starts)
        {
            var w = TileLayout.Weights(64, 24, s > 0, s + 64 < 300);
            for (int i = 0; i < 64; i++) sum[s + i] += w[i];
            for (int i = 1; i < 64; i++) Assert.True(Math.Abs(w[i] - w[i - 1]) < 0.2, "weight jumps");
        }
        Assert.All(sum, v => Assert.True(v > 0.05));
    }

    [Theory]
    [InlineData(PadBorder.Reflect)]
    [InlineData(PadBorder.Replicate)]
    [InlineData(PadBorder.Black)]
    [InlineData(PadBorder.White)]
    public void Pad_mode_keeps_the_image_size_for_every_border(PadBorder border)
    {
        var image = SyntheticModels.RandomImage(37, 51, 1);
        using var model = SyntheticModels.RandomConvNet(inChannels: 1);
        using var predictor = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad, Border = border }, ownsModels: false);
        var maps = predictor.Predict(image);
        Assert.All(maps.Maps, m => { Assert.Equal(37, m.Height); Assert.Equal(51, m.Width); Assert.All(m.Data, v => Assert.InRange(v, 0f, 1f)); });
    }

    [Fact]
    public void The_border_changes_only_pixels_near_the_padded_edge()
    {
        // Receptive field radius 2: away from the bottom/right pad the border choice cannot matter.
        var image = SyntheticModels.RandomImage(37, 51, 3);
        using var model = SyntheticModels.RandomConvNet();
        using var black = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad, Border = PadBorder.Black }, ownsModels: false);
        using var white = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad, Border = PadBorder.White }, ownsModels: false);
        var a = black.Predict(image).Maps[0];
        var b = white.Predict(image).Maps[0];
        float interior = 0, edge = 0;
        for (int y = 0; y < 37; y++)
            for (int x = 0; x < 51; x++)
            {
                float d = Math.Abs(a[y, x] - b[y, x]);
                if (y < 35 && x < 49) interior = Math.Max(interior, d); else edge = Math.Max(edge, d);
            }
        Assert.Equal(0f, interior);
        Assert.True(edge > 0);
    }

    [Theory]
    [InlineData(SizeMode.Pad)]
    [InlineData(SizeMode.Tile)]
    [InlineData(SizeMode.Resize)]
    public void A_one_pixel_wide_image_gets_maps_of_its_own_size(SizeMode mode)
    {
        var image = SyntheticModels.RandomImage(40, 1, 3);
        using var model = SyntheticModels.RandomConvNet();
        using var predictor = new Predictor(new[] { model }, new PredictionOptions { Mode = mode, Transforms = TestTimeAugmentation.Standard }, ownsModels: false);
        var maps = predictor.Predict(image);
        Assert.All(maps.Maps, m => { Assert.Equal(40, m.Height); Assert.Equal(1, m.Width); });
    }

    [Fact]
    public void An_image_smaller_than_the_size_multiple_is_padded_not_refused()
    {
        var image = SyntheticModels.RandomImage(5, 3, 1);
        using var model = SyntheticModels.RandomConvNet(inChannels: 3, sizeMultiple: 32);
        using var predictor = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        var maps = predictor.Predict(image);
        Assert.Equal(5, maps.Height);
        Assert.Equal(3, maps.Width);
    }

    [Fact]
    public void Resize_mode_refuses_a_huge_image_with_a_clear_message()
    {
        var image = new FloatImage(1200, 1000, 1);
        using var model = SyntheticModels.RandomConvNet(inChannels: 1, trainingSize: 64);
        using var predictor = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Resize }, ownsModels: false);
        var e = Assert.Throws<NucleiInputException>(() => predictor.Predict(image, "big.png"));
        Assert.Contains("big.png", e.Message);
        Assert.Contains("--mode tile", e.MessageFor(SettingFlags.Names));
    }

    [Fact]
    public void Pad_mode_refuses_an_image_too_big_for_one_pass()
    {
        var image = new FloatImage(300, 200, 1);
        using var model = SyntheticModels.RandomConvNet(inChannels: 1);
        using var predictor = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad, MaxPadPixels = 50_000 }, ownsModels: false);
        var e = Assert.Throws<NucleiInputException>(() => predictor.Predict(image, "wide.png"));
        Assert.Contains("wide.png", e.Message);
        Assert.Contains("--mode tile", e.MessageFor(SettingFlags.Names));
    }

    [Fact]
    public void Tiles_work_when_only_one_side_is_longer_than_a_tile()
    {
        var image = SyntheticModels.RandomImage(40, 300, 3);
        using var model = SyntheticModels.RandomConvNet();
        using var whole = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false);
        using var tiled = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Tile, TileSize = 64, TileOverlap = 24 }, ownsModels: false);
        var a = whole.Predict(image);
        var b = tiled.Predict(image);
        for (int k = 0; k < a.Heads.Count; k++)
            Assert.True(SyntheticModels.MaxAbsDifference(a.Maps[k], b.Maps[k], margin: 8) < 1e-3);
    }

    [Fact]
    public void Resize_mode_returns_maps_of_the_original_size()
    {
        var image = SyntheticModels.RandomImage(50, 90, 3);
        using var model = SyntheticModels.RandomConvNet(trainingSize: 64);
        using var predictor = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Resize }, ownsModels: false);
        var maps = predictor.Predict(image);
        Assert.Equal(50, maps.Height);
        Assert.Equal(90, maps.Width);
    }
}
