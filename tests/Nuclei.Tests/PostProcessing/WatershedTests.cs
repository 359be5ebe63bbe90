using Nuclei.Core.PostProcessing;
using static Nuclei.Tests.PostProcessing.Shapes;

namespace Nuclei.Tests.PostProcessing;

public class WatershedTests
{
    const int H = 40, W = 60;
    // Two discs of radius 10 whose centres are 16 apart: they overlap in a neck around x = 30.
    static readonly bool[] TwoDiscs = Discs(H, W, (20, 22, 10), (20, 38, 10));

    static int[] TwoMarkers()
    {
        var markers = new int[H * W];
        markers[20 * W + 22] = 1;
        markers[20 * W + 38] = 2;
        return markers;
    }

    static float[] NegativeDistance(bool[] mask) => DistanceTransform.Euclidean(H, W, mask).Select(d => -d).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_touching_discs_split_on_the_neck(bool eight)
    {
        var labels = Watershed.Run(H, W, NegativeDistance(TwoDiscs), TwoMarkers(), TwoDiscs, eightConnected: eight);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                int i = y * W + x;
                if (!TwoDiscs[i]) { Assert.Equal(0, labels[i]); continue; }
                if (x < 29) Assert.Equal(1, labels[i]);
                if (x > 31) Assert.Equal(2, labels[i]);
            }
    }

    [Fact]
    public void One_pixel_seed_floods_its_whole_piece_and_nothing_outside_the_mask()
    {
        var disc = Discs(H, W, (20, 30, 8));
        var markers = new int[H * W];
        markers[20 * W + 30] = 7;
        var labels = Watershed.Run(H, W, NegativeDistance(disc), markers, disc);
        for (int i = 0; i < labels.Length; i++) Assert.Equal(disc[i] ? 7 : 0, labels[i]);
    }

    [Fact]
    public void Marker_outside_the_mask_is_ignored()
    {
        var disc = Discs(H, W, (20, 30, 8));
        var markers = new int[H * W];
        markers[0] = 3;
        var labels = Watershed.Run(H, W, NegativeDistance(disc), markers, disc);
        Assert.All(labels, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Watershed_line_separates_the_regions_with_zeros()
    {
        var labels = Watershed.Run(H, W, NegativeDistance(TwoDiscs), TwoMarkers(), TwoDiscs, watershedLine: true);
        int line = 0;
        for (int y = 0; y < H; y++)
            for (int x = 1; x < W - 1; x++)
            {
                int i = y * W + x;
                if (TwoDiscs[i] && labels[i] == 0) line++;
                // no pixel of 1 is 4-adjacent to a pixel of 2
                if (labels[i] == 1) Assert.NotEqual(2, labels[i + 1]);
                if (labels[i] == 2) Assert.NotEqual(1, labels[i + 1]);
            }
        Assert.InRange(line, 5, 40); // a line across the neck only
        Assert.Equal(2, CountLabels(labels));
    }

    [Fact]
    public void Plateau_is_split_between_markers_by_entry_order()
    {
        // Flat landscape: each pixel goes to the marker that reaches it first (nearest in 4-steps).
        var flat = new float[H * W];
        var labels = Watershed.Run(H, W, flat, TwoMarkers());
        Assert.Equal(1, At(labels, W, 20, 25));
        Assert.Equal(2, At(labels, W, 20, 35));
        Assert.Equal(1, At(labels, W, 0, 0));
        Assert.Equal(2, At(labels, W, H - 1, W - 1));
    }

    [Fact]
    public void Compactness_makes_regions_follow_distance_to_the_seed()
    {
        // A landscape whose valley leads from marker 1 towards marker 2's side: without compactness region 1
        // floods the valley past the middle; with strong compactness the split is at the midpoint.
        var landscape = new float[H * W];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                landscape[y * W + x] = y == 20 ? 0f : 1f;
        var markers = new int[H * W];
        markers[20 * W + 10] = 1;
        markers[10 * W + 50] = 2;
        var plain = Watershed.Run(H, W, landscape, markers);
        var compact = Watershed.Run(H, W, landscape, markers, compactness: 100);
        Assert.Equal(1, At(plain, W, 20, 48));   // the valley belongs to marker 1 all along
        Assert.Equal(2, At(compact, W, 20, 48)); // nearer to marker 2
        Assert.Equal(1, At(compact, W, 20, 15));
    }
}
