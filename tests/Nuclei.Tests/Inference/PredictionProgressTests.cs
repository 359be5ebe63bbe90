using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Inference;

/// <summary>The predictor reports its fraction done after every forward pass and stops at the next one once cancelled.</summary>
public sealed class PredictionProgressTests
{
    static Predictor Tiled(InferenceModel model) => new(new[] { model },
        new PredictionOptions { Mode = SizeMode.Tile, TileSize = 32, TileOverlap = 8, TileBatch = 2, Transforms = [TtaTransform.Identity, TtaTransform.FlipHorizontal] },
        ownsModels: false);

    [Fact]
    public void Progress_rises_over_tile_batches_and_views_to_one_and_changes_nothing()
    {
        var image = SyntheticModels.RandomImage(60, 90, 3);
        using var model = SyntheticModels.RandomConvNet();
        using var predictor = Tiled(model);
        var heard = new List<double>();
        var maps = predictor.Predict(image, progress: new InferenceProgress(default, heard.Add));
        // 32-pixel tiles, stride 24, over 60x90: 3 rows x 4 columns = 12 tiles in 6 batches of 2, 2 views each: 12 passes
        Assert.Equal(12, heard.Count);
        Assert.Equal(1.0, heard[^1], 9);
        Assert.All(heard.Zip(heard.Skip(1)), p => Assert.True(p.Second > p.First, $"{p.First} then {p.Second}"));
        var plain = predictor.Predict(image);
        Assert.Equal(plain.Maps[0].Data, maps.Maps[0].Data);
    }

    [Fact]
    public void Cancelled_after_the_first_pass_it_stops_before_the_next()
    {
        var image = SyntheticModels.RandomImage(60, 90, 3);
        using var model = SyntheticModels.RandomConvNet();
        using var predictor = Tiled(model);
        using var cancel = new CancellationTokenSource();
        var heard = new List<double>();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            predictor.Predict(image, progress: new InferenceProgress(cancel.Token, f => { heard.Add(f); cancel.Cancel(); })));
        Assert.Single(heard);
    }
}
