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
        Assert.All(shapes, s => Assert.Equal(128, s[2]));                                  // tiles of TileSize
    }
}
