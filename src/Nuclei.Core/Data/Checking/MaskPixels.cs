using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data.Checking;

/// <summary>
/// One mask file of the DSB layout as its foreground: the row-major indices of its non-zero pixels and the
/// distinct non-zero values it holds (one for a proper binary mask).
/// </summary>
public sealed record MaskPixels(string Path, int Height, int Width, int[] Indices, int[] Values)
{
    public bool IsEmpty => Indices.Length == 0;
    public bool IsBinary => Values.Length <= 1;

    public static MaskPixels Read(string path)
    {
        var labels = ImageIO.ReadLabels(path);
        var indices = new List<int>();
        var values = new SortedSet<int>();
        var d = labels.Data;
        for (int i = 0; i < d.Length; i++)
        {
            if (d[i] == 0) continue;
            indices.Add(i);
            values.Add(d[i]);
        }
        return new MaskPixels(path, labels.Height, labels.Width, indices.ToArray(), values.ToArray());
    }

    /// <summary>The objects of a label map, as index lists by label (label k at position k - 1; absent labels empty).</summary>
    public static int[][] ObjectsOf(LabelImage labels)
    {
        int max = labels.MaxLabel();
        var lists = new List<int>[max];
        for (int k = 0; k < max; k++) lists[k] = new List<int>();
        var d = labels.Data;
        for (int i = 0; i < d.Length; i++) if (d[i] > 0) lists[d[i] - 1].Add(i);
        return lists.Select(l => l.ToArray()).ToArray();
    }
}
