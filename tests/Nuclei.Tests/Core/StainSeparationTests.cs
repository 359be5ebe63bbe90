using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Settings;
using Nuclei.Core.Staining;
using Nuclei.Cli;

namespace Nuclei.Tests.Core;

/// <summary>Colour deconvolution (scikit-image rgb2hed), the haematoxylin picture the network is shown, and --stain auto.</summary>
public class StainSeparationTests
{
    static readonly (float R, float G, float B) Purple = (0.35f, 0.2f, 0.55f), Pink = (0.95f, 0.6f, 0.8f),
        Glass = (0.93f, 0.91f, 0.9f), Blue = (0.4f, 0.45f, 0.7f), Brown = (0.55f, 0.35f, 0.2f);

    /// <summary>A 64² image of <paramref name="background"/> with four discs of radius 8; <paramref name="disc"/> gives each disc's colour.</summary>
    static (FloatImage Image, bool[] Inside) Discs((float R, float G, float B) background, Func<int, (float R, float G, float B)> disc)
    {
        var img = new FloatImage(64, 64, 3);
        var inside = new bool[img.PixelCount];
        (int Y, int X)[] centres = [(16, 16), (16, 48), (48, 16), (48, 48)];
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
            {
                int p = y * 64 + x, k = Array.FindIndex(centres, c => (c.Y - y) * (c.Y - y) + (c.X - x) * (c.X - x) <= 64);
                var (r, g, b) = k >= 0 ? disc(k) : background;
                inside[p] = k >= 0;
                img.Data[3 * p] = r; img.Data[3 * p + 1] = g; img.Data[3 * p + 2] = b;
            }
        return (img, inside);
    }

    [Fact]
    public void A_pixel_separates_as_scikit_image_rgb2hed_computes_it()
    {
        // RGB (0.4, 0.3, 0.6): OD = ln(I)/ln(1e-6) = (0.066323, 0.087146, 0.036975); hed_from_rgb = inv(rgb_from_hed) has
        // columns H (1.877983, -0.065908, -0.601907), E (-1.007679, 1.134730, -0.480414), DAB (-0.556116, -0.135522, 1.573588):
        // H = 0.124553 - 0.005744 - 0.022256 ≈ 0.096555 (unrounded terms), E = 0.014292, DAB = 0.009489
        var img = new FloatImage(1, 1, 3, [0.4f, 0.3f, 0.6f]);
        var hed = StainSeparation.Hed(img);
        Assert.Equal(0.096555, hed.Data[StainSeparation.H], 2e-6);
        Assert.Equal(0.014292, hed.Data[StainSeparation.E], 2e-6);
        Assert.Equal(0.009489, hed.Data[StainSeparation.Dab], 2e-6);
        // a negative density is set to 0, as skimage does: pink eosin has no haematoxylin
        Assert.Equal(0f, StainSeparation.Hed(new FloatImage(1, 1, 3, [Pink.R, Pink.G, Pink.B])).Data[StainSeparation.H]);
    }

    [Fact]
    public void Purple_nuclei_on_pink_become_bright_nuclei_on_a_dark_background()
    {
        var (he, inside) = Discs(Pink, _ => Purple);
        var h = StainSeparation.HaematoxylinImage(he);
        Assert.Equal(3, h.Channels);
        for (int p = 0; p < h.PixelCount; p++)
        {
            Assert.Equal(h.Data[3 * p], h.Data[3 * p + 1]);
            Assert.Equal(h.Data[3 * p], h.Data[3 * p + 2]);
            if (inside[p]) Assert.True(h.Data[3 * p] > 0.9f, $"nucleus pixel {p}: {h.Data[3 * p]}");
            else Assert.True(h.Data[3 * p] < 0.1f, $"background pixel {p}: {h.Data[3 * p]}");
        }
    }

    [Fact]
    public void The_he_sample_gives_its_annotated_nuclei_bright_on_a_dark_background()
    {
        var sample = DsbDataset.Scan(TestData.SamplesDir).Samples.First(s => s.Id.StartsWith("673baf65", StringComparison.Ordinal));
        var h = StainSeparation.HaematoxylinImage(ImageIO.ReadImage(sample.ImagePath));
        var labels = DsbDataset.LoadLabels(sample);
        double nuclei = 0, background = 0; int inNuclei = 0;
        for (int p = 0; p < h.PixelCount; p++)
        {
            if (labels.Data[p] > 0) { nuclei += h.Data[3 * p]; inNuclei++; }
            else background += h.Data[3 * p];
        }
        nuclei /= inNuclei; background /= h.PixelCount - inNuclei;
        Assert.True(nuclei > 0.4 && background < 0.25 && nuclei > 2.5 * background, $"nuclei {nuclei:F3}, background {background:F3}");
    }

    [Fact]
    public void Auto_takes_an_he_like_image_for_he_an_ihc_like_one_for_ihc_and_fluorescence_for_none()
    {
        Assert.Equal(Stain.He, Stains.Resolve(Stain.Auto, Discs(Pink, _ => Purple).Image));
        var ihc = Discs(Glass, k => k % 2 == 0 ? Blue : Brown).Image;   // half the nuclei DAB-positive
        Assert.InRange(StainDetection.DabShare(ihc), 0.4, 0.6);
        Assert.Equal(Stain.Ihc, Stains.Resolve(Stain.Auto, ihc));
        Assert.Equal(Stain.None, Stains.Resolve(Stain.Auto, Discs((0.03f, 0.03f, 0.03f), _ => (0.8f, 0.8f, 0.8f)).Image));
        Assert.Equal(Stain.None, Stains.Resolve(Stain.Auto, new FloatImage(8, 8, 1)));
        // a fixed setting is taken as it is
        Assert.Equal(Stain.He, Stains.Resolve(Stain.He, Discs((0.03f, 0.03f, 0.03f), _ => (0.8f, 0.8f, 0.8f)).Image));
    }

    [Fact]
    public void Names_parse_and_a_stain_on_a_one_channel_image_names_the_file()
    {
        Assert.Equal(Stain.Ihc, Stains.Parse(" IHC ", Setting.Stain));
        Assert.Equal(["none", "he", "ihc", "auto", "grey"], Stains.Names);
        Assert.Equal(Stain.Grey, Stains.Parse("grey", Setting.Stain));
        var e = Assert.Throws<NucleiInputException>(() => Stains.Parse("hed", Setting.Stain));
        Assert.Equal("SegmenterOptions.Stain must be one of auto, none, he, ihc, grey, got 'hed'", e.Message);
        Assert.Equal("--stain must be one of auto, none, he, ihc, grey, got 'hed'", e.MessageFor(SettingFlags.Names));
        var grey = new FloatImage(4, 4, 1);
        Assert.Same(grey, Stains.Prepare(Stain.None, grey, "g.png"));
        var one = Assert.Throws<NucleiInputException>(() => Stains.Prepare(Stain.He, grey, "g.png"));
        Assert.StartsWith("g.png: --stain he", one.MessageFor(SettingFlags.Names));
    }
}
