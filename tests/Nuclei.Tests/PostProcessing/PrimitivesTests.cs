using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using static Nuclei.Tests.PostProcessing.Shapes;

namespace Nuclei.Tests.PostProcessing;

public class PrimitivesTests
{
    [Fact]
    public void Distance_transform_is_euclidean()
    {
        int h = 11, w = 11;
        var mask = Enumerable.Repeat(true, h * w).ToArray();
        mask[5 * w + 5] = false;
        var d = DistanceTransform.Euclidean(h, w, mask);
        Assert.Equal(0f, d[5 * w + 5]);
        Assert.Equal(1f, d[5 * w + 6], 3);
        Assert.Equal(MathF.Sqrt(2), d[6 * w + 6], 3);
        Assert.Equal(5f, d[0 * w + 5], 3);
        Assert.Equal(MathF.Sqrt(50), d[0], 3);
    }

    [Fact]
    public void Connected_components_count_pieces()
    {
        var mask = Discs(20, 20, (5, 5, 3), (14, 14, 3));
        var labels = ConnectedComponents.Label(20, 20, mask, out int count);
        Assert.Equal(2, count);
        Assert.NotEqual(labels[5 * 20 + 5], labels[14 * 20 + 14]);
    }

    [Fact]
    public void Fill_holes_fills_enclosed_background_only()
    {
        int h = 10, w = 10;
        var mask = new bool[h * w];
        for (int y = 2; y <= 6; y++) for (int x = 2; x <= 6; x++) mask[y * w + x] = y == 2 || y == 6 || x == 2 || x == 6;
        HoleFilling.FillHoles(h, w, mask);
        Assert.True(mask[4 * w + 4]);
        Assert.False(mask[0]);
        Assert.Equal(25, mask.Count(b => b));
    }

    [Fact]
    public void Fill_holes_per_object_keeps_objects_inside_holes()
    {
        int h = 12, w = 12;
        var labels = new int[h * w];
        for (int y = 1; y <= 9; y++) for (int x = 1; x <= 9; x++) if (y == 1 || y == 9 || x == 1 || x == 9) labels[y * w + x] = 1;
        labels[5 * w + 5] = 2;
        HoleFilling.FillHolesPerObject(h, w, labels);
        Assert.Equal(2, labels[5 * w + 5]);
        Assert.Equal(1, labels[3 * w + 3]);
        Assert.Equal(0, labels[0]);
    }

    [Fact]
    public void Relabel_and_small_objects()
    {
        var labels = new[] { 0, 7, 7, 3, 0, 9, 9, 9, 3 };
        Assert.Equal(2, SmallObjects.RemoveFromLabels(labels, 3)); // labels 7 and 3 have 2 px
        Assert.Equal(3, labels.Count(v => v == 9));
        int n = RelabelSequential.Apply(labels);
        Assert.True(n >= 1);
        Assert.Equal(labels.Where(v => v > 0).Distinct().Count(), n);
    }

    [Fact]
    public void Otsu_separates_two_levels()
    {
        var values = Enumerable.Range(0, 1000).Select(i => i < 700 ? 0.1f + (i % 7) * 0.01f : 0.8f + (i % 5) * 0.01f).ToArray();
        float t = OtsuThreshold.Compute(values);
        Assert.InRange(t, 0.16f, 0.8f); // between the two levels (0.10..0.16 and 0.80..0.84)
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Classical_segmenter_finds_bright_and_dark_nuclei(bool darkOnBright)
    {
        int h = 64, w = 64;
        var nuclei = Discs(h, w, (16, 16, 7), (40, 44, 9), (44, 14, 6));
        var image = new FloatImage(h, w, 3);
        for (int i = 0; i < h * w; i++)
        {
            float v = nuclei[i] ? 0.7f : 0.15f;
            if (darkOnBright) v = 1f - v;
            for (int c = 0; c < 3; c++) image.Data[i * 3 + c] = v;
        }
        foreach (var policy in new[] { SplitPolicy.Watershed, SplitPolicy.RandomWalker })
        {
            var labels = ClassicalSegmenter.Segment(image, new ClassicalOptions { Policy = policy }).Data;
            Assert.Equal(3, CountLabels(labels));
            for (int i = 0; i < labels.Length; i++) Assert.Equal(nuclei[i], labels[i] > 0);
        }
    }
}
