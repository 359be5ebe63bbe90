using Nuclei.Core.Imaging;

namespace Nuclei.Core.Report;

/// <summary>
/// The per-nucleus numbers a report plots: each nucleus' area in pixels and, when the image is known, its mean
/// intensity (over pixels and channels, on the 0..1 scale the image is read at). Ordered by label.
/// </summary>
internal sealed record NucleusStatistics(IReadOnlyList<double> Areas, IReadOnlyList<double> MeanIntensities)
{
    public int Count => Areas.Count;

    /// <summary>One pass over the pixels; <paramref name="image"/> may be null (then no intensities).</summary>
    public static NucleusStatistics Of(LabelImage labels, FloatImage? image)
    {
        int max = labels.MaxLabel();
        var area = new long[max + 1];
        var sum = new double[max + 1];
        int[] lab = labels.Data;
        int ch = image?.Channels ?? 0;
        for (int i = 0; i < lab.Length; i++)
        {
            int l = lab[i];
            if (l == 0) continue;
            area[l]++;
            for (int k = 0; k < ch; k++) sum[l] += image!.Data[i * ch + k];
        }
        var areas = new List<double>();
        var means = new List<double>();
        for (int l = 1; l <= max; l++)
        {
            if (area[l] == 0) continue;
            areas.Add(area[l]);
            if (image is not null) means.Add(sum[l] / (area[l] * ch));
        }
        return new NucleusStatistics(areas, means);
    }
}
