namespace Nuclei.Core.Imaging;

/// <summary>Nucleus size statistics of a label map.</summary>
internal static class NucleusSize
{
    /// <summary>
    /// Median equivalent-circle diameter √(4·area/π) of the labelled objects in pixels, or null when there are none
    /// (Cellpose's "diameter" is this statistic of the masks).
    /// </summary>
    public static double? MedianDiameter(LabelImage labels) => MedianDiameter([labels]);

    public static double? MedianDiameter(IEnumerable<LabelImage> labelMaps)
    {
        var areas = new List<int>();
        foreach (var labels in labelMaps)
        {
            var area = new int[labels.MaxLabel() + 1];
            foreach (int v in labels.Data) area[v]++;
            for (int k = 1; k < area.Length; k++) if (area[k] > 0) areas.Add(area[k]);
        }
        if (areas.Count == 0) return null;
        areas.Sort();
        return Math.Sqrt(4 * areas[areas.Count / 2] / Math.PI);
    }
}
