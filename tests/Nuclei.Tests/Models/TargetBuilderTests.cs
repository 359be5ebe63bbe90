using Nuclei.Core.Imaging;
using Nuclei.Core.Targets;

namespace Nuclei.Tests.Models;

public class TargetBuilderTests
{
    private const int H = 40, W = 60, EdgeX = 28; // disc centres (20,20) and (20,36), radius 10: shared straight edge at x = 27|28

    /// <summary>Two overlapping discs split by their perpendicular bisector: two nuclei touching along a straight edge.</summary>
    private static LabelImage TouchingDiscs()
    {
        var labels = new LabelImage(H, W);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                bool in1 = (y - 20) * (y - 20) + (x - 20) * (x - 20) <= 100;
                bool in2 = (y - 20) * (y - 20) + (x - 36) * (x - 36) <= 100;
                if (in1 && x < EdgeX) labels[y, x] = 1;
                else if (in2 && x >= EdgeX) labels[y, x] = 2;
            }
        return labels;
    }

    private static double DistanceToLabel(LabelImage l, int y, int x, int k)
    {
        double best = double.PositiveInfinity;
        for (int yy = 0; yy < l.Height; yy++)
            for (int xx = 0; xx < l.Width; xx++)
                if (l[yy, xx] == k) best = Math.Min(best, Math.Sqrt((yy - y) * (yy - y) + (xx - x) * (xx - x)));
        return best;
    }

    [Fact]
    public void AdjacentBoundaryLiesOnTheSharedEdgeOnly()
    {
        var labels = TouchingDiscs();
        const int r = 2;
        var boundary = TargetBuilder.AdjacentBoundary(labels, r);
        int count = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                if (boundary[y * W + x] == 0) continue;
                count++;
                Assert.InRange(x, EdgeX - r, EdgeX + r - 1);
                Assert.True(DistanceToLabel(labels, y, x, 1) <= r && DistanceToLabel(labels, y, x, 2) <= r,
                    $"boundary pixel ({y},{x}) must be within {r} px of both nuclei");
            }
        // The whole shared edge (rows 14..26) is covered on both sides.
        for (int y = 15; y <= 25; y++)
        {
            Assert.Equal(1f, boundary[y * W + EdgeX - 1]);
            Assert.Equal(1f, boundary[y * W + EdgeX]);
        }
        Assert.InRange(count, 2 * 11, 4 * 2 * r * 13);
    }

    [Fact]
    public void AdjacentBoundaryIsEmptyForSeparateNuclei()
    {
        var labels = new LabelImage(20, 20);
        for (int y = 2; y < 8; y++) for (int x = 2; x < 8; x++) labels[y, x] = 1;
        for (int y = 2; y < 8; y++) for (int x = 13; x < 18; x++) labels[y, x] = 2; // 5 px apart
        Assert.All(TargetBuilder.AdjacentBoundary(labels, 2), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ContourIsTheInnerRingOfTheConfiguredThickness()
    {
        var labels = new LabelImage(12, 12);
        for (int y = 2; y < 10; y++) for (int x = 2; x < 10; x++) labels[y, x] = 1; // 8×8 square
        var c1 = TargetBuilder.Contour(labels, 1);
        var c2 = TargetBuilder.Contour(labels, 2);
        Assert.Equal(8 * 8 - 6 * 6, c1.Sum());
        Assert.Equal(8 * 8 - 4 * 4, c2.Sum());
        for (int i = 0; i < c1.Length; i++) if (c1[i] > 0) Assert.Equal(1, labels.Data[i]);
        // Touching nuclei: the shared edge is contour on both sides.
        var discs = TouchingDiscs();
        var c = TargetBuilder.Contour(discs, 1);
        Assert.Equal(1f, c[20 * W + EdgeX - 1]);
        Assert.Equal(1f, c[20 * W + EdgeX]);
        Assert.Equal(0f, c[20 * W + EdgeX - 3]);
    }

    [Fact]
    public void MarkersOfTouchingDiscsAreDisjointAndInside()
    {
        var labels = TouchingDiscs();
        var marker = TargetBuilder.Markers(labels);
        int n1 = 0, n2 = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                if (marker[y * W + x] == 0) continue;
                int k = labels[y, x];
                Assert.NotEqual(0, k);
                if (k == 1) n1++; else n2++;
                // No marker pixel of the other nucleus in the 8-neighbourhood (and none within 1 px more).
                for (int dy = -2; dy <= 2; dy++)
                    for (int dx = -2; dx <= 2; dx++)
                    {
                        int yy = y + dy, xx = x + dx;
                        if (yy < 0 || xx < 0 || yy >= H || xx >= W) continue;
                        if (marker[yy * W + xx] > 0) Assert.Equal(k, labels[yy, xx]);
                    }
            }
        Assert.True(n1 > 10 && n2 > 10, $"both discs keep a sizeable marker ({n1}, {n2})");
        Assert.True(n1 < 200 && n2 < 200, "markers are shrunk nuclei");
    }

    [Fact]
    public void TinyNucleiKeepACentreMarker()
    {
        var labels = new LabelImage(10, 10);
        labels[1, 1] = 1;                                            // 1 px
        labels[5, 5] = 2; labels[5, 6] = 2; labels[6, 5] = 2; labels[6, 6] = 2; // 2×2
        var marker = TargetBuilder.Markers(labels);
        Assert.Equal(1f, marker[1 * 10 + 1]);
        Assert.True(marker.Where((v, i) => labels.Data[i] == 2 && v > 0).Any());
    }

    [Fact]
    public void UNetWeightMapMatchesTheFormulaAndPeaksBetweenTheDiscs()
    {
        var labels = TouchingDiscs();
        const double w0 = 10, sigma = 5;
        var weight = TargetBuilder.UNetWeightMap(labels, w0, sigma, classBalance: true);
        int fg = labels.Data.Count(v => v > 0), n = H * W;
        double wFg = n / (2.0 * fg), wBg = n / (2.0 * (n - fg));
        int argmax = 0;
        for (int i = 0; i < n; i++) if (weight[i] > weight[argmax]) argmax = i;
        // The peak is on the shared edge.
        Assert.InRange(argmax % W, EdgeX - 1, EdgeX);
        Assert.InRange(argmax / W, 14, 26);
        // Exact formula at sample pixels, with brute-force Euclidean distances to both nuclei.
        foreach (var (y, x) in new[] { (20, 27), (20, 28), (13, 28), (10, 28), (5, 28), (20, 5), (2, 50), (30, 30), (20, 20) })
        {
            double a = DistanceToLabel(labels, y, x, 1), b = DistanceToLabel(labels, y, x, 2);
            double d1 = Math.Min(a, b), d2 = Math.Max(a, b);
            double expected = (labels[y, x] > 0 ? wFg : wBg) + w0 * Math.Exp(-(d1 + d2) * (d1 + d2) / (2 * sigma * sigma));
            Assert.True(Math.Abs(weight[y * W + x] - expected) < 2e-3, $"w({y},{x}) = {weight[y * W + x]}, formula gives {expected}");
        }
    }

    [Fact]
    public void EmphasisWeightMarksContoursAndCentres()
    {
        var labels = TouchingDiscs();
        var t = TargetBuilder.Build(labels, new TargetOptions { ContourEmphasis = 2, CentroidEmphasis = 3, CentroidRadius = 1 });
        Assert.Equal(1f, t.EmphasisWeight![0]);                       // background
        Assert.Equal(3f, t.EmphasisWeight[20 * W + EdgeX]);            // contour: 1 + 2
        var centres = TargetBuilder.Centres(labels);
        var (cy, cx) = centres[1];
        Assert.Equal(4f, t.EmphasisWeight[cy * W + cx]);               // centre: 1 + 3
        Assert.InRange(cx, 17, 20);
    }

    [Fact]
    public void SoftEdgesLabelTheOuterRingBelowOne()
    {
        var labels = TouchingDiscs();
        var t = TargetBuilder.Build(labels, new TargetOptions { SoftEdgeValue = 0.5f, Maps = TargetMaps.Semantic });
        Assert.Equal(0.5f, t.Semantic![20 * W + 10]);  // left edge of disc 1
        Assert.Equal(1f, t.Semantic[20 * W + 20]);
        Assert.Equal(0f, t.Semantic[0]);
        Assert.Null(t.Marker);
    }
}
