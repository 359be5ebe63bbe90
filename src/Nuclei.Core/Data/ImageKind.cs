using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data;

/// <summary>
/// The kind of a microscope image, from its pixel statistics, as the DSB2018 data is usually grouped: dark background
/// (fluorescence), bright background in colour (brightfield, H&amp;E) or bright background in grey. Used to balance
/// training and to report validation per kind.
/// </summary>
internal static class ImageKind
{
    public const string Fluorescence = "fluorescence";
    public const string ColourBright = "colour-bright";
    public const string GreyBright = "grey-bright";

    public static IReadOnlyList<string> All { get; } = [Fluorescence, ColourBright, GreyBright];

    /// <summary>Background brightness (median over pixels of the channel mean) above which an image counts as bright-field.</summary>
    public const float BrightBackground = 0.5f;

    public static string Of(FloatImage image)
    {
        if (MedianBrightness(image) <= BrightBackground) return Fluorescence;
        return IsGrey(image) ? GreyBright : ColourBright;
    }

    /// <summary>
    /// Median of the per-pixel mean over channels, by a 1024-bin histogram. The plain mean rather than a luminance: purple
    /// H&amp;E stain is dark in green, and a luminance would call some pale-purple brightfield images dark (the DSB2018
    /// stage-1 counts, 541 fluorescence / 107 colour / 16 grey, come out with the mean).
    /// </summary>
    public static float MedianBrightness(FloatImage image)
    {
        const int bins = 1024;
        var hist = new int[bins];
        int ch = image.Channels;
        for (int p = 0; p < image.PixelCount; p++)
        {
            int o = p * ch;
            float y = 0;
            for (int c = 0; c < ch; c++) y += image.Data[o + c];
            y /= ch;
            hist[Math.Clamp((int)(y * (bins - 1) + 0.5f), 0, bins - 1)]++;
        }
        long half = image.PixelCount / 2, acc = 0;
        for (int b = 0; b < bins; b++)
        {
            acc += hist[b];
            if (acc > half) return b / (float)(bins - 1);
        }
        return 1f;
    }

    /// <summary>Mean absolute channel difference below which an image counts as grey (fluorescence, greyscale brightfield).</summary>
    public const float GreyTolerance = 0.02f;

    /// <summary>True when the first three channels are (nearly) equal everywhere on average.</summary>
    public static bool IsGrey(FloatImage img)
    {
        if (img.Channels < 3) return true;
        double diff = 0;
        int ch = img.Channels;
        for (int p = 0; p < img.PixelCount; p++)
        {
            int o = p * ch;
            diff += Math.Abs(img.Data[o] - img.Data[o + 1]) + Math.Abs(img.Data[o + 1] - img.Data[o + 2]);
        }
        return diff / (2.0 * img.PixelCount) < GreyTolerance;
    }
}
