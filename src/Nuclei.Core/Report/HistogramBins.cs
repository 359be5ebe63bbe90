namespace Nuclei.Core.Report;

/// <summary>
/// A histogram's equal bins over the values' range, from the smallest value to the largest: every bin half-open but
/// the last, which is closed, so the largest value is counted in the last bin rather than past it.
/// </summary>
/// <param name="Min">the left edge of the first bin (the smallest value)</param>
/// <param name="Width">each bin's width</param>
/// <param name="Counts">the values in each bin</param>
internal sealed record HistogramBins(double Min, double Width, IReadOnlyList<int> Counts)
{
    public static HistogramBins Of(IReadOnlyList<double> values, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin");
        double min = values.Count == 0 ? 0 : values.Min(), max = values.Count == 0 ? 1 : values.Max();
        if (!(max > min)) max = min + 1;   // one value (or all equal): one unit wide, so the bars have a width
        double width = (max - min) / bins;
        var counts = new int[bins];
        foreach (double v in values) counts[Math.Clamp((int)Math.Floor((v - min) / width), 0, bins - 1)]++;
        return new HistogramBins(min, width, counts);
    }

    /// <summary>The middle of bin <paramref name="bin"/>, where its bar stands.</summary>
    public double Centre(int bin) => Min + (bin + 0.5) * Width;

    /// <summary>The right edge of the last bin (the largest value).</summary>
    public double Max => Min + Counts.Count * Width;
}
