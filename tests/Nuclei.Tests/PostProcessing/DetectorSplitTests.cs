using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using static Nuclei.Tests.PostProcessing.Shapes;

namespace Nuclei.Tests.PostProcessing;

public class DetectorSplitTests
{
    const int H = 40, W = 80;

    static LabelImage Labels(params bool[][] masks)
    {
        var data = new int[H * W];
        for (int k = 0; k < masks.Length; k++)
            for (int i = 0; i < data.Length; i++)
                if (masks[k][i] && data[i] == 0) data[i] = k + 1;
        return new LabelImage(H, W, data);
    }

    [Fact]
    public void A_merged_pair_is_split_where_the_detector_sees_two_and_keeps_every_pixel()
    {
        // dense: one component over two touching discs (a merge), and a lone disc; detector: the two discs, a bit smaller
        var merged = Discs(H, W, (20, 20, 10), (20, 36, 10));
        var lone = Discs(H, W, (20, 64, 8));
        var dense = Labels(merged, lone);
        var detected = Labels(Discs(H, W, (20, 19, 8)), Discs(H, W, (20, 37, 8)), Discs(H, W, (20, 64, 7)));
        var fused = DetectorSplit.Apply(dense, detected, minPieceSize: 10);
        Assert.Equal(3, fused.MaxLabel());
        Assert.NotEqual(fused[20, 10], fused[20, 46]);          // the outer edges of the pair (outside the detections): two nuclei
        Assert.Equal(fused[20, 10], fused[20, 19]);
        Assert.Equal(fused[20, 46], fused[20, 37]);
        Assert.NotEqual(fused[20, 64], fused[20, 19]);
        for (int i = 0; i < H * W; i++)                          // the dense pixels, no more, no fewer
            Assert.Equal(dense.Data[i] > 0, fused.Data[i] > 0);
        // the pixels between the two detections go to the nearer one (the dense model's neck is at x = 28)
        Assert.Equal(fused[20, 19], fused[20, 27]);
        Assert.Equal(fused[20, 37], fused[20, 29]);
    }

    [Fact]
    public void One_detection_a_small_one_or_one_mostly_outside_splits_nothing()
    {
        var merged = Discs(H, W, (20, 20, 10), (20, 36, 10));
        var dense = Labels(merged);
        var inside = Discs(H, W, (20, 20, 8));
        var tiny = Discs(H, W, (20, 36, 1.5));                                    // 9 pixels, under minPieceSize
        var mostlyOutside = Discs(H, W, (20, 50, 9));                             // overlaps the dense nucleus by less than half
        foreach (var other in new[] { tiny, mostlyOutside })
        {
            var fused = DetectorSplit.Apply(dense, Labels(inside, other), minPieceSize: 10);
            Assert.Equal(dense.Data, fused.Data);
        }
        Assert.Equal(dense.Data, DetectorSplit.Apply(dense, Labels(inside), minPieceSize: 10).Data);
        Assert.Equal(dense.Data, DetectorSplit.Apply(dense, new LabelImage(H, W), minPieceSize: 10).Data);
    }

    [Fact]
    public void Maps_of_different_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => DetectorSplit.Apply(new LabelImage(4, 5), new LabelImage(5, 4), 1));
    }
}
