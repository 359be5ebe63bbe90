namespace Nuclei.Core.Data.Checking;

/// <summary>
/// The bounding box of an object's pixels grown by one pixel on every side (the margin is always background,
/// so a flood from the box border reaches everything outside the object). May extend past the image.
/// </summary>
internal readonly record struct PaddedBox(int Top, int Left, int Height, int Width)
{
    public static PaddedBox Of(ReadOnlySpan<int> indices, int imageWidth)
    {
        if (indices.IsEmpty) throw new ArgumentException("an object needs at least one pixel");
        int top = int.MaxValue, left = int.MaxValue, bottom = int.MinValue, right = int.MinValue;
        foreach (int i in indices)
        {
            int y = i / imageWidth, x = i - y * imageWidth;
            top = Math.Min(top, y); bottom = Math.Max(bottom, y);
            left = Math.Min(left, x); right = Math.Max(right, x);
        }
        return new PaddedBox(top - 1, left - 1, bottom - top + 3, right - left + 3);
    }

    /// <summary>The object as a mask of the box (row-major, Height × Width).</summary>
    public bool[] Crop(ReadOnlySpan<int> indices, int imageWidth)
    {
        var mask = new bool[Height * Width];
        foreach (int i in indices)
        {
            int y = i / imageWidth, x = i - y * imageWidth;
            mask[(y - Top) * Width + (x - Left)] = true;
        }
        return mask;
    }
}
