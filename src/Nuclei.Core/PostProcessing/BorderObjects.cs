using Nuclei.Core.Imaging;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Removal of objects touching the image border (skimage.segmentation.clear_border): a nucleus cut by the edge of the
/// field of view has neither its own area nor its own shape, and counting per field would count it twice across
/// neighbouring fields. One rule, whether the labels are held whole (<see cref="Remove"/>) or streamed one nucleus at a
/// time (<see cref="Touches"/>).
/// </summary>
internal static class BorderObjects
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

    /// <summary>
    /// <see cref="Remove"/>, then the remaining objects numbered 1..N again (in their order), as the label maps of a
    /// segmentation are. Returns how many were removed.
    /// </summary>
    public static int RemoveAndRenumber(LabelImage labels)
    {
        int removed = Remove(labels.Height, labels.Width, labels.Data);
        if (removed > 0) RelabelSequential.Apply(labels.Data);
        return removed;
    }

    /// <summary>
    /// Whether an object of a <paramref name="height"/>×<paramref name="width"/> image whose bounding box (inclusive, in
    /// that image's coordinates) is given has a pixel on its outermost row or column: <see cref="Remove"/>'s rule for an
    /// object held alone (a box reaches an edge only where one of its pixels does).
    /// </summary>
    public static bool Touches(int height, int width, int minY, int minX, int maxY, int maxX) =>
        minY == 0 || minX == 0 || maxY == height - 1 || maxX == width - 1;
}
