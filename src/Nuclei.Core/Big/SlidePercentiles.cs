using NetVips;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Big;

/// <summary>
/// The intensity percentiles of a whole slide, measured as <see cref="Normalization"/> measures a whole image (all
/// channels' samples together, a histogram of <see cref="Normalization.HistogramBins"/> bins over the samples' own
/// range), or of its luminance for a network that sees images as grey, but streamed through libvips so the slide is
/// never held: one pass for the range, one for the histogram.
/// </summary>
internal static class SlidePercentiles
{
    /// <param name="ofLuminance">measure the luminance (<see cref="ColorTransforms.Luminance"/>'s weights) of a colour slide</param>
    public static IntensityRange Of(SlideReader reader, double low, double high, bool ofLuminance = false)
    {
        using var luminance = ofLuminance && reader.Pixels.Bands >= 3 ? Luminance(reader.Pixels) : null;
        var image = luminance ?? reader.Pixels;
        try
        {
            using var stats = image.Stats(); // row 0 covers all bands: column 0 the minimum, column 1 the maximum
            double min = stats[0, 0][0], max = stats[1, 0][0];
            if (!(max > min)) return new IntensityRange((float)(min * reader.SampleScale), (float)(min * reader.SampleScale));
            double binsPerValue = (Normalization.HistogramBins - 1) / (max - min);
            // bin = round((v - min) · binsPerValue), as Normalization does; Floor makes the rounding explicit whatever cast does
            using var shifted = image.Linear([binsPerValue], [0.5 - min * binsPerValue]);
            using var floored = shifted.Floor();
            using var bins = floored.Cast(Enums.BandFormat.Ushort);
            using var histogram = bins.HistFind(); // one histogram per band
            var counts = Sum(histogram.WriteToMemory<uint>(), histogram.Bands, histogram.Width);
            var (loBin, hiBin) = Normalization.PercentileBins(counts, low, high);
            double scale = reader.SampleScale;
            return new IntensityRange((float)((min + loBin / binsPerValue) * scale), (float)((min + hiBin / binsPerValue) * scale));
        }
        catch (VipsException e)
        {
            throw new NucleiInputException(reader.Path, $"cannot measure its intensity range: {UntrustedText.Clean(e.Message, 300)}");
        }
    }

    /// <summary>One band: 0.299 R + 0.587 G + 0.114 B, in floats, as <see cref="ColorTransforms.Luminance"/> computes it.</summary>
    static Image Luminance(Image rgb)
    {
        using var firstThree = rgb.Bands > 3 ? rgb.ExtractBand(0, n: 3) : null;
        using var weights = Image.NewFromArray(new[,] { { 0.299, 0.587, 0.114 } });
        return (firstThree ?? rgb).Recomb(weights);
    }

    /// <summary>Per-band histograms (interleaved, width bins) summed into one of <see cref="Normalization.HistogramBins"/> bins.</summary>
    static long[] Sum(uint[] interleaved, int bands, int width)
    {
        var counts = new long[Normalization.HistogramBins];
        for (int bin = 0; bin < Math.Min(width, counts.Length); bin++)
            for (int b = 0; b < bands; b++) counts[bin] += interleaved[bin * bands + b];
        return counts;
    }
}
