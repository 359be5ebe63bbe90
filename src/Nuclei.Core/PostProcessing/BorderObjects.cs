namespace Nuclei.Core.PostProcessing;

/// <summary>Removal of objects touching the image border (skimage.segmentation.clear_border).</summary>
public static class BorderObjects
{
    /// <summary>Sets to 0, in place, every object with a pixel on the outermost row or column. Returns how many.</summary>
    public static int Remove(int height, int width, Span<int> labels)
    {
        var touching = new HashSet<int>();
        for (int x = 0; x < width; x++) { Add(labels[x]); Add(labels[(height - 1) * width + x]); }
        for (int y = 0; y < height; y++) { Add(labels[y * width]); Add(labels[y * width + width - 1]); }
        if (touching.Count == 0) return 0;
        for (int i = 0; i < labels.Length; i++) if (labels[i] > 0 && touching.Contains(labels[i])) labels[i] = 0;
        return touching.Count;
        void Add(int l) { if (l > 0) touching.Add(l); }
    }
}
