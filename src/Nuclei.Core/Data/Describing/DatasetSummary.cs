namespace Nuclei.Core.Data.Describing;

/// <summary>Per-kind totals of a described dataset: images, nuclei, and the nucleus-area distribution.</summary>
internal sealed record KindSummary(string Kind, int Images, int Nuclei, double AreaP10, double AreaMedian, double AreaP90, double NucleiPerImage);

internal static class DatasetSummary
{
    /// <summary>One row per kind present, in <see cref="ImageKind.All"/> order.</summary>
    public static IReadOnlyList<KindSummary> ByKind(IReadOnlyList<ImageFacts> images) =>
        ImageKind.All.Select(kind =>
        {
            var of = images.Where(f => f.Kind == kind).ToList();
            var areas = of.SelectMany(f => f.NucleusAreas).ToList();
            return new KindSummary(kind, of.Count, areas.Count, Percentile.Of(areas, 0.1), Percentile.Of(areas, 0.5),
                Percentile.Of(areas, 0.9), of.Count == 0 ? 0 : (double)areas.Count / of.Count);
        }).Where(s => s.Images > 0).ToList();

    /// <summary>Image counts by size (height × width), most frequent first.</summary>
    public static IReadOnlyList<(string Size, int Images)> BySize(IReadOnlyList<ImageFacts> images) =>
        images.GroupBy(f => $"{f.Height}x{f.Width}").Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
}
