using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Training;

public class AppearanceTransformsTests
{
    static FloatImage Ramp(int h, int w, int channels)
    {
        var img = new FloatImage(h, w, channels);
        for (int i = 0; i < img.Data.Length; i++) img.Data[i] = (i % 97) / 96f;
        return img;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MonotoneCurveKeepsTheOrderOfValuesAndTheirEnds(int seed)
    {
        var img = Ramp(8, 13, 3);
        var outImg = AppearanceTransforms.MonotoneCurve(img, new Random(seed));
        var pairs = img.Data.Zip(outImg.Data).OrderBy(p => p.First).ToArray();
        for (int i = 1; i < pairs.Length; i++)
            if (pairs[i].First > pairs[i - 1].First) Assert.True(pairs[i].Second > pairs[i - 1].Second, $"order broken at {pairs[i].First}");
        Assert.Equal(0f, outImg.Data[Array.IndexOf(img.Data, 0f)], 6);
        Assert.Equal(1f, outImg.Data[Array.IndexOf(img.Data, 1f)], 6);
        Assert.NotEqual(img.Data, outImg.Data);
    }

    [Fact]
    public void CurveRisesFromZeroToOneWithNoFlatSegment()
    {
        var rng = new Random(7);
        var knots = new FloatImage(1, 5, 1, [0f, 0.25f, 0.5f, 0.75f, 1f]);
        for (int t = 0; t < 200; t++)
        {
            var k = AppearanceTransforms.MonotoneCurve(knots, rng).Data;
            Assert.Equal(0f, k[0]);
            Assert.Equal(1f, k[^1]);
            for (int i = 1; i < k.Length; i++) Assert.True(k[i] > k[i - 1]);
        }
    }

    [Fact]
    public void ChannelMixingKeepsGreyGreyAndMovesAColour()
    {
        var grey = new FloatImage(4, 4, 3);
        for (int p = 0; p < 16; p++) for (int c = 0; c < 3; c++) grey.Data[p * 3 + c] = p / 15f;
        var mixedGrey = AppearanceTransforms.MixChannels(grey, 1.0, new Random(3));
        for (int i = 0; i < grey.Data.Length; i++) Assert.Equal(grey.Data[i], mixedGrey.Data[i], 5);

        var red = new FloatImage(2, 2, 3);
        for (int p = 0; p < 4; p++) red.Data[p * 3] = 1f;
        var moved = Enumerable.Range(0, 20).Select(s => AppearanceTransforms.MixChannels(red, 1.0, new Random(s)))
            .Count(m => m.Data[1] > 0.01f || m.Data[2] > 0.01f);
        Assert.True(moved >= 15, $"only {moved} of 20 mixtures moved pure red");
        Assert.All(AppearanceTransforms.MixChannels(red, 1.0, new Random(1)).Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void BlurSmoothsAnEdgeAndKeepsTheMean()
    {
        var img = new FloatImage(16, 16, 3);
        for (int y = 0; y < 16; y++) for (int x = 8; x < 16; x++) for (int c = 0; c < 3; c++) img[y, x, c] = 1f;
        var b = AppearanceTransforms.Blur(img, 2.0, new Random(5));
        Assert.InRange(b[8, 7, 0], 0.05f, 0.5f);
        Assert.InRange(b[8, 8, 0], 0.5f, 0.95f);
        Assert.Equal(img.Data.Average(), b.Data.Average(), 2);
        Assert.Equal(0f, img[8, 7, 0]);
    }

    [Fact]
    public void PipelineDrawsNothingForTheseWhenTheyAreOff()
    {
        var img = Ramp(32, 32, 3);
        var lab = new LabelImage(32, 32);
        var off = new AugmentationPipeline(new AugmentationOptions { CropSize = 16 });
        var on = new AugmentationPipeline(new AugmentationOptions
        { CropSize = 16, IntensityCurveProbability = 1, ChannelMixProbability = 1, BlurProbability = 1 });
        var a = off.Apply(img, lab, new Random(11)).Image;
        var b = off.Apply(img, lab, new Random(11)).Image;
        var c = on.Apply(img, lab, new Random(11)).Image;
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);
    }
}
