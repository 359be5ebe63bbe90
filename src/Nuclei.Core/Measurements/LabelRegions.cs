using Nuclei.Core.Imaging;

namespace Nuclei.Core.Measurements;

/// <summary>One nucleus of a label map: its label, its pixels (row-major indices, ascending) and its bounding box.</summary>
internal sealed record LabelRegion(int Label, int[] Pixels, int MinY, int MinX, int MaxY, int MaxX)
{
    /// <summary>Bounding-box height and width (inclusive extent).</summary>
    public int BoxHeight => MaxY - MinY + 1;
    public int BoxWidth => MaxX - MinX + 1;

    /// <summary>The region as a 0/1 mask over its bounding box grown by <paramref name="pad"/> pixels on every side.</summary>
    public byte[] Mask(int imageWidth, int pad, out int height, out int width)
    {
        height = BoxHeight + 2 * pad;
        width = BoxWidth + 2 * pad;
        var mask = new byte[height * width];
        foreach (int p in Pixels)
            mask[(p / imageWidth - MinY + pad) * width + p % imageWidth - MinX + pad] = 1;
        return mask;
    }
}

/// <summary>Splits a label map into its regions, in increasing label order (one counting-sort pass, no per-label scan).</summary>
internal static class LabelRegions
{
    public static IReadOnlyList<LabelRegion> Of(LabelImage labels)
    {
        int[] lab = labels.Data;
        int max = labels.MaxLabel();
        var count = new int[max + 1];
        foreach (int l in lab) count[l]++;
        var pixels = new int[max + 1][];
        for (int l = 1; l <= max; l++) if (count[l] > 0) pixels[l] = new int[count[l]];
        var fill = new int[max + 1];
        var box = new (int MinY, int MinX, int MaxY, int MaxX)[max + 1];
        int w = labels.Width;
        for (int i = 0; i < lab.Length; i++)
        {
            int l = lab[i];
            if (l == 0) continue;
            int y = i / w, x = i % w;
            if (fill[l] == 0) box[l] = (y, x, y, x);
            else box[l] = (box[l].MinY, Math.Min(box[l].MinX, x), y, Math.Max(box[l].MaxX, x));
            pixels[l][fill[l]++] = i;
        }
        var regions = new List<LabelRegion>();
        for (int l = 1; l <= max; l++)
            if (count[l] > 0) regions.Add(new LabelRegion(l, pixels[l], box[l].MinY, box[l].MinX, box[l].MaxY, box[l].MaxX));
        return regions;
    }
}
