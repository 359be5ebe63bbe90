namespace Nuclei.Core.PostProcessing;

/// <summary>Removal of objects smaller than a minimum area (skimage.morphology.remove_small_objects).</summary>
internal static class SmallObjects
{
    /// <summary>Sets to 0, in place, every object with fewer than <paramref name="minSize"/> pixels. Returns how many were removed.</summary>
    public static int RemoveFromLabels(Span<int> labels, int minSize)
    {
        if (minSize <= 1) return 0;
        int maxLabel = ConnectedComponents.MaxLabel(labels);
        var areas = ConnectedComponents.Areas(labels, maxLabel);
        int removed = 0;
        for (int l = 1; l <= maxLabel; l++) if (areas[l] > 0 && areas[l] < minSize) removed++;
        if (removed == 0) return 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int l = labels[i];
            if (l > 0 && areas[l] < minSize) labels[i] = 0;
        }
        return removed;
    }

    /// <summary>Clears, in place, the connected pieces of a binary mask with fewer than <paramref name="minSize"/> pixels.</summary>
    public static void RemoveFromMask(int height, int width, Span<bool> mask, int minSize, bool eightConnected = true)
    {
        if (minSize <= 1) return;
        var labels = ConnectedComponents.Label(height, width, mask, out int count, eightConnected);
        var areas = ConnectedComponents.Areas(labels, count);
        for (int i = 0; i < mask.Length; i++)
            if (labels[i] > 0 && areas[labels[i]] < minSize) mask[i] = false;
    }
}
