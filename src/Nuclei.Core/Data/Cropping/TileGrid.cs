namespace Nuclei.Core.Data.Cropping;

/// <summary>One tile of an image: its top-left corner and size.</summary>
internal readonly record struct Tile(int Top, int Left, int Height, int Width);

/// <summary>
/// Tiles of <c>size × size</c> every <c>step</c> pixels, the last row and column moved back to end at the image edge so the
/// whole image is covered (an image smaller than a tile gives one tile of its own size).
/// </summary>
internal static class TileGrid
{
    public static IReadOnlyList<Tile> Of(int height, int width, int size, int step)
    {
        if (size <= 0 || step <= 0) throw new ArgumentException($"tile size and step must be positive, got {size} and {step}");
        var tops = Starts(height, size, step);
        var lefts = Starts(width, size, step);
        return tops.SelectMany(t => lefts.Select(l => new Tile(t, l, Math.Min(size, height), Math.Min(size, width)))).ToList();
    }

    /// <summary>0, step, 2·step, … while the tile fits, then the start that ends at the edge (if not already there).</summary>
    static List<int> Starts(int length, int size, int step)
    {
        var starts = new List<int> { 0 };
        if (length <= size) return starts;
        for (int s = step; s + size < length; s += step) starts.Add(s);
        if (starts[^1] + size < length) starts.Add(length - size);
        return starts;
    }
}
