using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Training;

public class SyntheticStainTests
{
    /// <summary>Discs of radius 6 on a grid (labels 1..), with a fluorescence-like image: bright nuclei on black.</summary>
    static (FloatImage Image, LabelImage Labels) Discs(int h = 80, int w = 96)
    {
        var lab = new LabelImage(h, w);
        var img = new FloatImage(h, w, 1);
        int label = 0;
        for (int cy = 10; cy + 7 < h; cy += 20)
            for (int cx = 10; cx + 7 < w; cx += 20)
            {
                label++;
                for (int y = cy - 6; y <= cy + 6; y++)
                    for (int x = cx - 6; x <= cx + 6; x++)
                        if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= 36) { lab[y, x] = label; img[y, x] = 0.5f + 0.05f * (label % 5); }
            }
        return (img, lab);
    }

    static double Luminance(FloatImage im, int p) => 0.299 * im.Data[p * 3] + 0.587 * im.Data[p * 3 + 1] + 0.114 * im.Data[p * 3 + 2];

    static double BlueShare(FloatImage im, int p) => im.Data[p * 3 + 2] / (im.Data[p * 3] + im.Data[p * 3 + 1] + im.Data[p * 3 + 2] + 1e-6);

    static (double Inside, double Outside) Means(LabelImage lab, Func<int, double> f)
    {
        double si = 0, so = 0; int ni = 0, no = 0;
        for (int p = 0; p < lab.PixelCount; p++)
            if (lab.Data[p] != 0) { si += f(p); ni++; } else { so += f(p); no++; }
        return (si / ni, so / no);
    }

    [Fact]
    public void Render_is_deterministic_in_range_three_channels_and_the_labels_size()
    {
        var (img, lab) = Discs();
        var o = new SyntheticStainOptions();
        var a = SyntheticStain.Render(lab, img, o, new Random(4));
        var b = SyntheticStain.Render(lab, img, o, new Random(4));
        Assert.Equal((lab.Height, lab.Width, 3), (a.Height, a.Width, a.Channels));
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, SyntheticStain.Render(lab, img, o, new Random(5)).Data);
        Assert.All(a.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Cells_around_the_nuclei_take_more_counterstain_than_the_ground_between_them()
    {
        // Discs 20 px apart: a ring 1-3 px outside each is cytoplasm in most renders; 8+ px out is mostly ground.
        var (img, lab) = Discs();
        var distance = Nuclei.Core.PostProcessing.DistanceTransform.Euclidean(lab.Height, lab.Width, lab.Data.Select(l => l == 0).ToArray());
        double RingOverGround(double cytoplasmMax)
        {
            var o = new SyntheticStainOptions { Kind = SyntheticStainKind.He, GlassProbability = 0, JpegProbability = 0, CytoplasmDensityMax = cytoplasmMax };
            double ring = 0, ground = 0;
            for (int seed = 0; seed < 16; seed++)
            {
                var im = SyntheticStain.Render(lab, img, o, new Random(seed));
                double r = 0, g = 0; int nr = 0, ng = 0;
                for (int p = 0; p < lab.PixelCount; p++)
                {
                    double od = -Math.Log10(Math.Max(1e-3, im.Data[p * 3 + 1]));   // eosin absorbs green most
                    if (distance[p] is >= 1 and <= 3) { r += od; nr++; } else if (distance[p] >= 8) { g += od; ng++; }
                }
                ring += r / nr; ground += g / ng;
            }
            return ring / ground;
        }
        double with = RingOverGround(0.5), without = RingOverGround(0);
        Assert.True(with > 1.2 * without, $"green optical density near nuclei / between them: {with:F3} with cell bodies, {without:F3} without");
    }

    [Fact]
    public void Nuclei_come_out_darker_and_bluer_than_the_background_and_the_labels_are_untouched()
    {
        var (img, lab) = Discs();
        var before = (int[])lab.Data.Clone();
        foreach (var kind in new[] { SyntheticStainKind.He, SyntheticStainKind.Ihc })
            for (int seed = 0; seed < 12; seed++)
            {
                var im = SyntheticStain.Render(lab, img, new SyntheticStainOptions { Kind = kind }, new Random(seed));
                var (lumIn, lumOut) = Means(lab, p => Luminance(im, p));
                Assert.True(lumIn < lumOut, $"{kind} seed {seed}: nuclei luminance {lumIn:F3}, background {lumOut:F3}");
                if (kind != SyntheticStainKind.He) continue;
                // Haematoxylin absorbs red and green more than blue: nuclei are blue-purple against eosin pink.
                var (blueIn, blueOut) = Means(lab, p => BlueShare(im, p));
                Assert.True(blueIn > blueOut, $"seed {seed}: blue share of nuclei {blueIn:F3}, background {blueOut:F3}");
            }
        Assert.Equal(before, lab.Data);
    }

    [Fact]
    public void Renders_without_nuclei_and_without_a_source()
    {
        var empty = new LabelImage(17, 23);
        var im = SyntheticStain.Render(empty, null, new SyntheticStainOptions { GlassProbability = 1, JpegProbability = 1 }, new Random(1));
        Assert.Equal((17, 23, 3), (im.Height, im.Width, im.Channels));
        Assert.All(im.Data, v => Assert.InRange(v, 0f, 1f));
        var one = SyntheticStain.Render(new LabelImage(1, 1, new[] { 1 }), null, new SyntheticStainOptions(), new Random(2));
        Assert.Equal(3, one.Data.Length);
    }

    [Fact]
    public void Pipeline_with_probability_one_replaces_the_image_in_register_with_the_labels()
    {
        var (img, lab) = Discs();
        var options = AugmentationOptions.None() with { SyntheticStainProbability = 1, SyntheticStainScaleMax = 1.5 };
        var valid = lab.Data.ToHashSet();
        for (int seed = 0; seed < 4; seed++)
        {
            var (im, l) = new AugmentationPipeline(options).Apply(img, lab, new Random(seed));
            Assert.Equal((lab.Height, lab.Width, 3), (im.Height, im.Width, im.Channels));
            Assert.All(l.Data, v => Assert.Contains(v, valid));      // labels warped by nearest neighbour only
            Assert.Contains(l.Data, v => v != 0);
            // The source has bright nuclei on black; the rendering has dark nuclei on a lighter background, where the labels are.
            var (lumIn, lumOut) = Means(l, p => Luminance(im, p));
            Assert.True(lumIn < lumOut, $"seed {seed}: nuclei luminance {lumIn:F3}, background {lumOut:F3}");
        }
        // Off (the default): the same view as before the option existed.
        var plain = new AugmentationPipeline(AugmentationOptions.None()).Apply(img, lab, new Random(0));
        Assert.Equal(lab.Data, plain.Labels.Data);
        Assert.Equal(ColorTransforms.ToThreeChannels(img).Data, plain.Image.Data);
    }

    [Fact]
    public void Haematoxylin_views_of_stained_renders_show_bright_nuclei_on_dark_and_grey_images_stay_as_they_are()
    {
        var (img, lab) = Discs();
        var options = AugmentationOptions.None() with { SyntheticStainProbability = 1, SyntheticStainScaleMax = 1, HaematoxylinProbability = 1 };
        for (int seed = 0; seed < 4; seed++)
        {
            var (im, l) = new AugmentationPipeline(options).Apply(img, lab, new Random(seed));
            for (int p = 0; p < im.PixelCount; p++) Assert.True(im.Data[p * 3] == im.Data[p * 3 + 1] && im.Data[p * 3] == im.Data[p * 3 + 2]);
            var (lumIn, lumOut) = Means(l, p => Luminance(im, p));
            Assert.True(lumIn > lumOut, $"seed {seed}: nuclei {lumIn:F3}, background {lumOut:F3}");
        }
        // A grey image has no stains to separate: unchanged.
        var greyOnly = AugmentationOptions.None() with { HaematoxylinProbability = 1 };
        var grey = new AugmentationPipeline(greyOnly).Apply(img, lab, new Random(0));
        Assert.Equal(ColorTransforms.ToThreeChannels(img).Data, grey.Image.Data);
    }
}
