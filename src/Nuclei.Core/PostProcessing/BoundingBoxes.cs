namespace Nuclei.Core.PostProcessing;

/// <summary>The bounding box of one object (inclusive top/left, exclusive bottom/right).</summary>
internal readonly record struct BoundingBox(int Top, int Left, int Bottom, int Right)
{
    public bool IsEmpty => Bottom <= Top || Right <= Left;
    public int Height => Bottom - Top;
    public int Width => Right - Left;
}

/// <summary>Bounding boxes of all labels of a label map in one pass (scipy's ndi.find_objects).</summary>
internal static class BoundingBoxes
{
    /// <summary>Boxes indexed by label (index 0 unused); a label that does not occur has an empty box.</summary>
    public static BoundingBox[] Of(int height, int width, ReadOnlySpan<int> labels, int maxLabel)
    {
        var top = new int[maxLabel + 1]; var left = new int[maxLabel + 1];
        var bottom = new int[maxLabel + 1]; var right = new int[maxLabel + 1];
        Array.Fill(top, int.MaxValue); Array.Fill(left, int.MaxValue);
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                int l = labels[row + x];
                if (l <= 0 || l > maxLabel) continue;
                if (y < top[l]) top[l] = y;
                if (y + 1 > bottom[l]) bottom[l] = y + 1;
                if (x < left[l]) left[l] = x;
                if (x + 1 > right[l]) right[l] = x + 1;
            }
        }
        var boxes = new BoundingBox[maxLabel + 1];
        for (int l = 1; l <= maxLabel; l++)
            boxes[l] = top[l] == int.MaxValue ? new BoundingBox(0, 0, 0, 0) : new BoundingBox(top[l], left[l], bottom[l], right[l]);
        return boxes;
    }
}
