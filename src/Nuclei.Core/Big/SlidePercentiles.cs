using NetVips;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Big;

/// <summary>
/// The intensity percentiles of a whole slide, measured as <see cref="Normalization"/> measures a whole image (all
/// channels' samples together, a histogram of <see cref="Normalization.HistogramBins"/> bins over the samples' own
/// range), but streamed through libvips so the slide is never held: one pass for the range, one for the histogram.
/// </summary>
public static class SlidePercentiles
{
    public static IntensityRange Of(SlideReader reader, double low, double high)
    {
        var image = reader.Pixels;
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

    /// <summary>Per-band histograms (interleaved, width bins) summed into one of <see cref="Normalization.HistogramBins"/> bins.</summary>
    static long[] Sum(uint[] interleaved, int bands, int width)
    {
        var counts = new long[Normalization.HistogramBins];
        for (int bin = 0; bin < Math.Min(width, counts.Length); bin++)
            for (int b = 0; b < bands; b++) counts[bin] += interleaved[bin * bands + b];
        return counts;
    }
}
