using Nuclei.Core.PostProcessing;
using static Nuclei.Tests.PostProcessing.Shapes;

namespace Nuclei.Tests.PostProcessing;

public class RandomWalkerTests
{
    const int H = 40, W = 60;

    [Fact]
    public void Two_touching_discs_split_on_the_neck()
    {
        var discs = Discs(H, W, (20, 22, 10), (20, 38, 10));
        var markers = new int[H * W];
        markers[20 * W + 22] = 1;
        markers[20 * W + 38] = 2;
        var labels = RandomWalker.Run(H, W, ToFloat(discs), markers, discs);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                int i = y * W + x;
                if (!discs[i]) { Assert.Equal(0, labels[i]); continue; }
                if (x < 28) Assert.Equal(1, labels[i]);
                if (x > 32) Assert.Equal(2, labels[i]);
            }
    }

    [Fact]
    public void Edge_weights_follow_intensity_edges()
    {
        // One square of two intensities; the markers sit off-centre, the split follows the intensity step at x = 40.
        var data = new float[H * W];
        for (int i = 0; i < data.Length; i++) data[i] = (i % W) < 40 ? 0.2f : 0.8f;
        var markers = new int[H * W];
        markers[20 * W + 2] = 1;
        markers[20 * W + 45] = 2;
        var labels = RandomWalker.Run(H, W, data, markers);
        for (int i = 0; i < labels.Length; i++) Assert.Equal((i % W) < 40 ? 1 : 2, labels[i]);
    }

    [Fact]
    public void Piece_with_one_marker_is_labelled_at_once_and_piece_without_stays_zero()
    {
        var mask = Discs(H, W, (10, 10, 6), (28, 45, 6));
        var markers = new int[H * W];
        markers[10 * W + 10] = 5;
        var labels = RandomWalker.Run(H, W, ToFloat(mask), markers, mask);
        Assert.All(Enumerable.Range(0, H * W), i =>
            Assert.Equal(mask[i] && (i / W) < 20 ? 5 : 0, labels[i]));
    }
}
