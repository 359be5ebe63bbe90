using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Inference;

/// <summary>A part of a larger image is predicted as the whole image would be: tiled when the whole is above the pad limit.</summary>
public class WholeImageTests
{
    [Fact]
    public void Auto_mode_tiles_a_window_of_an_image_too_big_to_pad()
    {
        var shapes = new List<long[]>();
        using var model = new InferenceModel(x => { lock (shapes) shapes.Add(x.shape); return x[.., ..1] * 1f; },
            [HeadProbabilities.Semantic], 1, 8, 32, null, "recorder");
        var options = new PredictionOptions { TileSize = 128, TileOverlap = 16, AutoTileAbovePixels = 300L * 300 };
        using var predictor = new Predictor([model], options, ownsModels: false);
        var window = new FloatImage(200, 200, 1);

        predictor.Predict(window);
        Assert.True(Assert.Single(shapes)[2] >= 200);                                      // padded: one pass over the whole window

        shapes.Clear();
        predictor.Predict(window, wholeImage: new WholeImage(4000, 4000, null));
        Assert.True(shapes.Count >= 2, $"{shapes.Count} forward pass(es)");
        Assert.Equal(128, shapes[0][2]);                                                   // tiles of TileSize,
        Assert.All(shapes, s => Assert.InRange(s[2], 8, 128));                             // cut where the window ends inside one
    }

    /// <summary>A network whose output at every pixel is its tile's mean: it tells which tile a pixel was predicted in.</summary>
    static InferenceModel TileMeanNet() =>
        new(x => (x[.., ..1].mean([2, 3], keepdim: true) * 4f - 2f).expand(x.shape[0], 1, x.shape[2], x.shape[3]),
            [HeadProbabilities.Semantic], 1, 8, 32, null, "tile-mean");

    [Theory]
    [InlineData(100, 130, 200, 180)]
    [InlineData(0, 0, 170, 150)]      // a part at the whole image's top-left corner
    [InlineData(233, 245, 167, 155)]  // ... and at its bottom-right corner
    public void A_part_is_tiled_on_the_whole_images_grid(int top, int left, int height, int width)
    {
        var image = SyntheticModels.RandomImage(400, 400, 1);
        using var model = TileMeanNet();
        var options = new PredictionOptions { Mode = SizeMode.Tile, TileSize = 64, TileOverlap = 16, TileBatch = 3 };
        using var predictor = new Predictor([model], options, ownsModels: false);
        var whole = predictor.Predict(image).Maps[0];
        var part = predictor.Predict(Crop(image, top, left, height, width), wholeImage: new WholeImage(400, 400, null, top, left)).Maps[0];

        // Pixels whose tiles all lie inside the part (a tile from the part's edges, unless that edge is the image's)
        // were predicted from the same tiles with the same weights; the cut tiles at the part's inner edges see less.
        int y0 = top == 0 ? 0 : 64, x0 = left == 0 ? 0 : 64;
        int y1 = top + height == 400 ? height : height - 64, x1 = left + width == 400 ? width : width - 64;
        float inside = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                inside = Math.Max(inside, Math.Abs(part[y, x] - whole[top + y, left + x]));
        Assert.True(inside < 1e-5, $"the part differs from the whole image by {inside} away from its edges");
    }

    [Fact]
    public void Whole_image_tiles_are_the_grid_itself()
    {
        var (spans, padded) = TileLayout.Along(300, 0, 300, 64, 24, 16);
        Assert.Equal(300, padded);
        Assert.Equal(TileLayout.Starts(300, 64, 24), spans.Select(s => s.Start).ToArray());
        Assert.All(spans, s => Assert.Equal(64, s.Length));
        Assert.Equal(TileLayout.Weights(64, 24, false, true), spans[0].Weights);
    }

    [Fact]
    public void A_parts_cut_tiles_weigh_each_pixel_as_the_whole_grid_does()
    {
        var (grid, _) = TileLayout.Along(300, 0, 300, 64, 24, 16);
        var whole = new double[300];
        foreach (var s in grid) for (int i = 0; i < s.Length; i++) whole[s.Start + i] += s.Weights[i];
        var (spans, padded) = TileLayout.Along(300, 57, 101, 64, 24, 16);
        Assert.Equal(101, padded);
        var part = new double[101];
        foreach (var s in spans)
        {
            Assert.Equal(0, s.Length % 16);
            Assert.InRange(s.Start, 0, padded - s.Length);
            for (int i = 0; i < s.Length; i++) part[s.Start + i] += s.Weights[i];
        }
        for (int i = 0; i < 101; i++) Assert.Equal(whole[57 + i], part[i], 5);
    }

    static FloatImage Crop(FloatImage image, int top, int left, int height, int width)
    {
        var crop = new FloatImage(height, width, image.Channels);
        for (int y = 0; y < height; y++)
            Array.Copy(image.Data, ((top + y) * image.Width + left) * image.Channels, crop.Data, y * width * image.Channels, width * image.Channels);
        return crop;
    }
}
