using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data;

/// <summary>
/// Sorts a microscope image into one of the three kinds of the DSB2018 training set from two pixel statistics:
/// the median brightness (fluorescence has a dark background, brightfield a bright one) and how much the colour
/// channels differ (stained tissue, e.g. H&amp;E, is coloured; grey brightfield is not). The DSB2018 stage-1 analyses
/// (Caicedo et al., "Nucleus segmentation across imaging experiments", Nature Methods 2019) use the same split.
/// </summary>
public static class ImageKindClassifier
{
    public const string Fluorescence = "fluorescence";
    public const string ColourBright = "colour-bright";
    public const string GreyBright = "grey-bright";

    /// <summary>The kinds, in the order reports list them.</summary>
    public static IReadOnlyList<string> Kinds { get; } = new[] { Fluorescence, ColourBright, GreyBright };

    /// <summary>Median brightness (0..1) above which the background is taken to be bright (brightfield).</summary>
    const float BrightMedian = 0.5f;

    /// <summary>Mean absolute difference between colour channels (0..1) above which an image counts as coloured.</summary>
    const float ColourSpread = 0.02f;

    /// <summary>The kind of an image: <see cref="Fluorescence"/>, <see cref="ColourBright"/> or <see cref="GreyBright"/>.</summary>
    public static string Classify(FloatImage image)
    {
        var (median, spread) = Statistics(image);
        if (median <= BrightMedian) return Fluorescence;
        return spread > ColourSpread ? ColourBright : GreyBright;
    }

    /// <summary>Median of the per-pixel mean over channels, and mean absolute difference between channels.</summary>
    public static (float MedianBrightness, float ChannelSpread) Statistics(FloatImage image)
    {
        int n = image.PixelCount, c = image.Channels;
        var brightness = new float[n];
        double spread = 0;
        var d = image.Data;
        for (int i = 0; i < n; i++)
        {
            int o = i * c;
            if (c == 1) { brightness[i] = d[o]; continue; }
            float sum = 0, lo = float.MaxValue, hi = float.MinValue;
            for (int k = 0; k < c; k++)
            {
                float v = d[o + k];
                sum += v;
                lo = MathF.Min(lo, v);
                hi = MathF.Max(hi, v);
            }
            brightness[i] = sum / c;
            spread += hi - lo;
        }
        Array.Sort(brightness);
        return (brightness[n / 2], (float)(spread / n));
    }
}
