using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Training;

public class AugmentationTests
{
    static (FloatImage, LabelImage) Pair(int h, int w)
    {
        var img = new FloatImage(h, w, 3);
        var lab = new LabelImage(h, w);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                img[y, x, 0] = (y * w + x) / (float)(h * w);
                img[y, x, 1] = y / (float)h;
                img[y, x, 2] = x / (float)w;
                lab[y, x] = (y / 8) * 100 + x / 8 + 1;    // blocks with distinct labels
            }
        return (img, lab);
    }

    [Fact]
    public void FlipsAndRot90AreExactPermutations()
    {
        var (img, lab) = Pair(5, 7);
        Assert.Equal(img.Data, Geometry.FlipHorizontal(Geometry.FlipHorizontal(img)).Data);
        Assert.Equal(lab.Data, Geometry.FlipVertical(Geometry.FlipVertical(lab)).Data);
        var r = Geometry.Rotate90(lab, 1);
        Assert.Equal((7, 5), (r.Height, r.Width));
        // numpy.rot90 (counter-clockwise): out[i, j] = in[j, W-1-i]
        Assert.Equal(lab[0, 6], r[0, 0]);
        Assert.Equal(lab[4, 6], r[0, 4]);
        Assert.Equal(lab.Data, Geometry.Rotate90(Geometry.Rotate90(r, 2), 1).Data);
        var ri = Geometry.Rotate90(img, 3);
        Assert.Equal(img.Data, Geometry.Rotate90(ri, 1).Data);
    }

    [Fact]
    public void WarpsKeepLabelValuesAndAlignImageWithLabels()
    {
        var (img, lab) = Pair(64, 64);
        var valid = lab.Data.ToHashSet();
        var (ri, rl) = Geometry.Rotate(img, lab, 33);
        Assert.All(rl.Data, v => Assert.Contains(v, valid));              // nearest neighbour: no new labels
        var (si, sl) = Geometry.Scale(img, lab, 1.5, 0.5);
        Assert.Equal((32, 96), (sl.Height, sl.Width));
        Assert.All(sl.Data, v => Assert.Contains(v, valid));
        var (ei, el) = ElasticDistortion.Apply(img, lab, 3, 16, new Random(1));
        Assert.All(el.Data, v => Assert.Contains(v, valid));
        // Rotation by 90° via the warp equals the exact permutation (clockwise for a positive OpenCV angle? no: counter-clockwise).
        var (r90i, r90l) = Geometry.Rotate(img, lab, 90);
        Assert.Equal(Geometry.Rotate90(lab, 1).Data, r90l.Data);
    }

    [Fact]
    public void PipelineIsDeterministicGivenTheSeedAndCropsToSize()
    {
        var (img, lab) = Pair(100, 140);
        var p = new AugmentationPipeline(new AugmentationOptions { CropSize = 48 });
        var (a, al) = p.Apply(img, lab, new Random(7));
        var (b, bl) = p.Apply(img, lab, new Random(7));
        Assert.Equal((48, 48, 3), (a.Height, a.Width, a.Channels));
        Assert.Equal(a.Data, b.Data);
        Assert.Equal(al.Data, bl.Data);
        var (c, _) = p.Apply(img, lab, new Random(8));
        Assert.NotEqual(a.Data, c.Data);
        Assert.All(a.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void PlainCropMatchesTheSourcePixels()
    {
        var (img, lab) = Pair(60, 80);
        var p = new AugmentationPipeline(AugmentationOptions.None(32));
        var (ci, cl) = p.Apply(img, lab, new Random(3));
        // find the crop offset from the first label value and check image and labels agree with the source there
        bool found = false;
        for (int top = 0; top <= 28 && !found; top++)
            for (int left = 0; left <= 48 && !found; left++)
                if (Geometry.Crop(lab, top, left, 32, 32).Data.SequenceEqual(cl.Data))
                {
                    Assert.Equal(Geometry.Crop(img, top, left, 32, 32).Data, ci.Data);
                    found = true;
                }
        Assert.True(found);
    }

    [Fact]
    public void ColourTransformsStayInRangeAndGrayIsGray()
    {
        var (img, _) = Pair(16, 16);
        var rng = new Random(2);
        foreach (var t in new[] { ColorTransforms.Jitter(img, 0.5, 0.5, 0.5, 0.2, rng), ColorTransforms.AddNoise(img, 0.1, 0.2, rng),
                     ColorTransforms.Clahe(img), ColorTransforms.Invert(img), ColorTransforms.ShuffleChannels(img, rng) })
            Assert.All(t.Data, v => Assert.InRange(v, 0f, 1f));
        var g = ColorTransforms.ToGray(img);
        for (int p = 0; p < g.PixelCount; p++) { Assert.Equal(g.Data[p * 3], g.Data[p * 3 + 1]); Assert.Equal(g.Data[p * 3], g.Data[p * 3 + 2]); }
        var gray1 = new FloatImage(4, 4, 1);
        Assert.Equal(3, ColorTransforms.ToThreeChannels(gray1).Channels);
    }

    [Fact]
    public void NormalisationPerChannelAndPercentile()
    {
        var img = new FloatImage(1, 2, 3, new float[] { 0, 0.5f, 1, 1, 0.5f, 0 });
        var n = new Normalization(new[] { 0.5, 0.5, 0.5 }, new[] { 0.5, 0.5, 0.5 });
        Assert.Equal(new float[] { -1, 1, 0, 0, 1, -1 }, n.ToPlanar(img));   // planar: R0 R1 G0 G1 B0 B1
        var dim = new FloatImage(1, 4, 1, new float[] { 0.1f, 0.2f, 0.3f, 0.4f });
        var p = new Normalization(new[] { 0.0 }, new[] { 1.0 }, PerImagePercentile: true, 0, 100).ToPlanar(dim);
        Assert.Equal(0f, p[0], 2);
        Assert.Equal(1f, p[3], 2);
    }
    [Fact]
    public void LowResolutionBlursEdgesButKeepsSizeAndMeanBrightness()
    {
        // A one-pixel checkerboard: any shrink averages it away; a flat image is unchanged.
        var board = new FloatImage(64, 48, 1);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 48; x++) board.Data[y * 48 + x] = (x + y) % 2;
        var rng = new Random(5);
        for (int i = 0; i < 5; i++)
        {
            var low = LowResolution.Apply(board, 0.4, rng);
            Assert.Equal((64, 48, 1), (low.Height, low.Width, low.Channels));
            double contrast = low.Data.Select(v => Math.Abs(v - 0.5)).Average();
            Assert.True(contrast < 0.3, $"checkerboard contrast {contrast:F3} after shrinking (1 → 0.5 unblurred)");
            Assert.InRange(low.Data.Average(), 0.45, 0.55);
        }
        var flat = new FloatImage(20, 20, 3);
        Array.Fill(flat.Data, 0.3f);
        Assert.All(LowResolution.Apply(flat, 0.5, new Random(1)).Data, v => Assert.Equal(0.3f, v, 4));
    }
}
