using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using static Nuclei.Tests.PostProcessing.Shapes;

namespace Nuclei.Tests.PostProcessing;

public class PartitionTests
{
    const int H = 48, W = 64;

    static FloatImage Map(bool[] mask) => new(H, W, 1, ToFloat(mask));

    [Theory]
    [InlineData(SplitPolicy.Watershed)]
    [InlineData(SplitPolicy.RandomWalker)]
    public void Two_touching_discs_from_distance_peaks_split_on_the_neck(SplitPolicy policy)
    {
        var body = Discs(H, W, (24, 22, 11), (24, 41, 11));
        var labels = Partition.Run(Map(body), null, null, new PartitionOptions { Policy = policy }).Data;
        Assert.Equal(2, CountLabels(labels));
        int left = At(labels, W, 24, 22), right = At(labels, W, 24, 41);
        Assert.NotEqual(left, right);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                int i = y * W + x;
                Assert.Equal(body[i], labels[i] > 0);
                if (body[i] && x < 29) Assert.Equal(left, labels[i]);
                if (body[i] && x > 34) Assert.Equal(right, labels[i]);
            }
    }

    [Theory]
    [InlineData(SplitPolicy.Watershed)]
    [InlineData(SplitPolicy.RandomWalker)]
    public void Two_touching_discs_from_a_contour_map_split_where_the_contour_says(SplitPolicy policy)
    {
        var body = Discs(H, W, (24, 22, 11), (24, 41, 11));
        var contour = new bool[H * W];
        for (int y = 0; y < H; y++) contour[y * W + 31] = contour[y * W + 32] = body[y * W + 31];
        var labels = Partition.Run(Map(body), Map(contour), null, new PartitionOptions { Policy = policy }).Data;
        Assert.Equal(2, CountLabels(labels));
        Assert.NotEqual(At(labels, W, 24, 22), At(labels, W, 24, 41));
    }

    [Theory]
    [InlineData(MarkerSource.Auto, 1)]
    [InlineData(MarkerSource.MarkerHead, 1)]
    [InlineData(MarkerSource.Contour, 1)]
    [InlineData(MarkerSource.Peaks, 2)]
    public void The_marker_source_decides_which_map_seeds_the_split(MarkerSource source, int expected)
    {
        // A marker head that sees one blob and an empty contour map keep the two discs together; distance peaks split them.
        var body = Discs(H, W, (24, 22, 11), (24, 41, 11));
        var noContour = new bool[H * W];
        var labels = Partition.Run(Map(body), Map(noContour), Map(body), new PartitionOptions { MarkerSource = source }).Data;
        Assert.Equal(expected, CountLabels(labels));
    }

    [Theory]
    [InlineData(SplitPolicy.Watershed)]
    [InlineData(SplitPolicy.RandomWalker)]
    public void A_single_disc_is_never_split(SplitPolicy policy)
    {
        foreach (double r in new[] { 3.0, 6, 12, 20 })
        {
            var body = Discs(H, W, (24, 32, r));
            var labels = Partition.Run(Map(body), null, null, new PartitionOptions { Policy = policy, MinSize = 1 }).Data;
            Assert.Equal(1, CountLabels(labels));
            for (int i = 0; i < labels.Length; i++) Assert.Equal(body[i] ? 1 : 0, labels[i]);
        }
    }

    [Fact]
    public void A_ring_gets_its_hole_filled()
    {
        var outer = Discs(H, W, (24, 32, 15));
        var inner = Discs(H, W, (24, 32, 6));
        var ring = outer.Zip(inner, (o, i) => o && !i).ToArray();
        var labels = Partition.Run(Map(ring), null, null, new PartitionOptions()).Data;
        Assert.Equal(1, CountLabels(labels));
        for (int i = 0; i < labels.Length; i++) Assert.Equal(outer[i] ? 1 : 0, labels[i]);
    }

    [Fact]
    public void A_one_pixel_marker_seeds_a_whole_nucleus()
    {
        var body = Discs(H, W, (24, 32, 10));
        var marker = new bool[H * W];
        marker[24 * W + 32] = true;
        var labels = Partition.Run(Map(body), null, Map(marker), new PartitionOptions { MinMarkerSize = 1 }).Data;
        for (int i = 0; i < labels.Length; i++) Assert.Equal(body[i] ? 1 : 0, labels[i]);
    }

    [Fact]
    public void A_body_piece_without_marker_becomes_its_own_object_and_tiny_ones_are_dropped()
    {
        var body = Discs(H, W, (12, 12, 7), (34, 46, 8), (40, 8, 1));
        var marker = Discs(H, W, (12, 12, 3)); // only the first disc has a marker
        var labels = Partition.Run(Map(body), null, Map(marker), new PartitionOptions { MinSize = 10 }).Data;
        Assert.Equal(2, CountLabels(labels));
        Assert.True(At(labels, W, 34, 46) > 0);
        Assert.Equal(0, At(labels, W, 40, 8));
    }

    [Fact]
    public void Border_objects_are_dropped_when_asked()
    {
        var body = Discs(H, W, (5, 5, 8), (30, 32, 8));
        var labels = Partition.Run(Map(body), null, null, new PartitionOptions { RemoveBorderObjects = true }).Data;
        Assert.Equal(1, CountLabels(labels));
        Assert.Equal(1, At(labels, W, 30, 32));
    }

    [Fact]
    public void A_giant_elongated_fibre_is_dropped_when_asked()
    {
        var body = new bool[H * W];
        for (int y = 20; y < 24; y++) for (int x = 0; x < W; x++) body[y * W + x] = true; // 4 x 64 strand
        foreach (var (cy, cx) in new[] { (6, 10), (40, 50) })
            for (int y = cy - 2; y <= cy + 2; y++) for (int x = cx - 2; x <= cx + 2; x++) body[y * W + x] = true;
        var options = new PartitionOptions { RemoveFiber = true, PeakMinDistance = 100 };
        var labels = Partition.Run(Map(body), null, null, options).Data;
        Assert.Equal(2, CountLabels(labels));
        Assert.Equal(0, At(labels, W, 22, 30));
    }

    [Fact]
    public void Maps_of_different_sizes_are_refused()
    {
        var body = new FloatImage(10, 10, 1);
        var contour = new FloatImage(10, 12, 1);
        Assert.Throws<ArgumentException>(() => Partition.Run(body, contour, null));
    }
}

public class PartitionEdgeCaseTests
{
    [Theory]
    [InlineData(SplitPolicy.Watershed, 0f)]
    [InlineData(SplitPolicy.RandomWalker, 0f)]
    [InlineData(SplitPolicy.Watershed, 1f)]
    [InlineData(SplitPolicy.RandomWalker, 1f)]
    public void Constant_maps_give_no_object_or_one(SplitPolicy policy, float value)
    {
        var body = new FloatImage(32, 32, 1, Enumerable.Repeat(value, 32 * 32).ToArray());
        foreach (var contour in new FloatImage?[] { null, new FloatImage(32, 32, 1) })
        {
            var labels = Partition.Run(body, contour, null, new PartitionOptions { Policy = policy });
            Assert.Equal(value > 0.5f ? 1 : 0, labels.MaxLabel());
            if (value > 0.5f) Assert.All(labels.Data, v => Assert.Equal(1, v));
        }
    }
}
