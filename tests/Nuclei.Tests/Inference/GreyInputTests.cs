using Nuclei;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Inference;

/// <summary>
/// A model trained with <c>pre.grey_input = True</c> sees every image as its luminance, in training and in prediction
/// alike: a colour image and its grey twin are the same input to it.
/// </summary>
[Collection("torch-training")]
public class GreyInputTests
{
    /// <summary>Purple-ish blobs on a pink background: hue and luminance both vary.</summary>
    static FloatImage Stained(int size = 48)
    {
        var rng = new Random(5);
        var img = new FloatImage(size, size, 3);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool nucleus = (x / 12 + y / 12) % 2 == 0;
                float n = (float)rng.NextDouble() * 0.05f;
                img[y, x, 0] = (nucleus ? 0.45f : 0.95f) + n;
                img[y, x, 1] = (nucleus ? 0.25f : 0.75f) + n;
                img[y, x, 2] = (nucleus ? 0.70f : 0.85f) - n;
            }
        return img;
    }

    [Fact]
    public void Grey_normalisation_of_a_colour_image_is_the_normalisation_of_its_luminance_in_every_channel()
    {
        var colour = Stained();
        var grey = new Normalization([0.1, 0.2, 0.3], [0.5, 0.6, 0.7], PerImagePercentile: true, Grey: true);
        var plain = grey with { Grey = false };

        Assert.Equal(plain.ToPlanar(ColorTransforms.ToGray(colour)), grey.ToPlanar(colour));
        Assert.NotEqual(plain.ToPlanar(colour), grey.ToPlanar(colour));
        var single = new FloatImage(colour.Height, colour.Width, 1, ColorTransforms.Luminance(colour));
        Assert.Equal(plain.ToPlanar(single), grey.ToPlanar(single));   // a grey image is unchanged by it
    }

    [Fact]
    public void A_grey_input_model_predicts_a_colour_image_as_its_grey_twin_and_records_it_in_its_settings()
    {
        using var files = new TestCheckpoints();
        string greyModel = files.Save(seed: 3, fileName: "grey.nck", configuration: [("pre.normalize", "percentile"), ("pre.grey_input", "True")]);
        string colourModel = files.Save(seed: 3, fileName: "colour.nck", configuration: [("pre.normalize", "percentile")]);
        var colour = Stained();
        var twin = ColorTransforms.ToGray(colour);

        using var grey = NucleiSegmenter.Load(new SegmenterOptions { Models = [greyModel] });
        using var plain = NucleiSegmenter.Load(new SegmenterOptions { Models = [colourModel] });
        float[] Body(NucleiSegmenter s, FloatImage image) => s.Model!.Predictor.Predict(image).Get(HeadProbabilities.Semantic)!.Data;

        // equal up to float rounding (the twin's luminance is 0.299 L + 0.587 L + 0.114 L)
        static void Same(float[] a, float[] b) => Assert.All(a.Zip(b), p => Assert.Equal(p.First, p.Second, 1e-5f));
        Same(Body(grey, twin), Body(grey, colour));
        Same(Body(plain, twin), Body(grey, colour));
        var hue = Body(plain, colour).Zip(Body(plain, twin)).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(hue > 1e-3, $"same weights with colour input: the hue reaches the network (max difference {hue})");
        Assert.True(grey.Model!.Predictor.Models.Single().Normalization!.Grey);
        Assert.Equal(new PercentileStretch(1, 99.8, OfLuminance: true), grey.NormalizationPercentiles);
    }
}
