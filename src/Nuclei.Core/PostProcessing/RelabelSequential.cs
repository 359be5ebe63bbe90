namespace Nuclei.Core.PostProcessing;

/// <summary>Renumbers labels to 1..N keeping their order (skimage.segmentation.relabel_sequential).</summary>
internal static class RelabelSequential
{
    /// <summary>Relabels in place; negative values become 0. Returns N.</summary>
    public static int Apply(Span<int> labels)
    {
        int maxLabel = ConnectedComponents.MaxLabel(labels);
        var map = new int[maxLabel + 1];
        foreach (int v in labels) if (v > 0) map[v] = 1;
        int next = 0;
        for (int l = 1; l <= maxLabel; l++) if (map[l] != 0) map[l] = ++next;
        for (int i = 0; i < labels.Length; i++) labels[i] = labels[i] > 0 ? map[labels[i]] : 0;
        return next;
    }
}
