using Nuclei.Core.Augmentation;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Core;

public class ImageKindTests
{
    static FloatImage Filled(float r, float g, float b, int size = 32)
    {
        var img = new FloatImage(size, size, 3);
        for (int p = 0; p < img.PixelCount; p++) { img.Data[3 * p] = r; img.Data[3 * p + 1] = g; img.Data[3 * p + 2] = b; }
        return img;
    }

    [Fact]
    public void Kinds_follow_background_brightness_and_colour()
    {
        Assert.Equal(ImageKind.Fluorescence, ImageKind.Of(Filled(0.05f, 0.05f, 0.05f)));
        Assert.Equal(ImageKind.GreyBright, ImageKind.Of(Filled(0.8f, 0.8f, 0.8f)));
        Assert.Equal(ImageKind.ColourBright, ImageKind.Of(Filled(0.9f, 0.7f, 0.85f)));
        Assert.Equal(ImageKind.Fluorescence, ImageKind.Of(new FloatImage(8, 8, 1)));
    }

    [Fact]
    public void Stain_jitter_changes_colour_images_and_leaves_grey_ones()
    {
        var grey = Filled(0.6f, 0.6f, 0.6f);
        Assert.Same(grey, StainJitter.Apply(grey, 0.2, new Random(1)));
        var pink = Filled(0.85f, 0.55f, 0.75f);
        var jittered = StainJitter.Apply(pink, 0.2, new Random(1));
        Assert.NotEqual(pink.Data, jittered.Data);
        Assert.All(jittered.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Stain_jitter_of_zero_strength_is_the_identity()
    {
        var pink = Filled(0.85f, 0.55f, 0.75f);
        var same = StainJitter.Apply(pink, 0.0, new Random(1));
        for (int i = 0; i < pink.Data.Length; i++) Assert.Equal(pink.Data[i], same.Data[i], 3);
    }
}
