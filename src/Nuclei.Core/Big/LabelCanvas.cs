namespace Nuclei.Core.Big;

/// <summary>
/// The part of a big label image still being stitched: a full-width band of rows, from the first row not yet written
/// out to the last row a block window may reach. Nuclei are painted into it as blocks are done; rows no later block can
/// reach are handed to the sink and the band moves down, so memory is (block + 2·context + one tile row) × width labels
/// however tall the image. Where two blocks' nuclei overlap, the pixel keeps the label painted first.
/// </summary>
internal sealed class LabelCanvas
{
    readonly int[] band;
    readonly int capacityRows;
    readonly Action<int, int, ReadOnlyMemory<int>> sink;

    public int Width { get; }
    public int Height { get; }
    /// <summary>First row not yet handed to the sink.</summary>
    public int FirstRow { get; private set; }

    /// <param name="capacityRows">rows the band holds: at least the rows between the first unwritten row and the lowest row a block may paint</param>
    /// <param name="sink">takes (first row, row count, labels of those rows, row-major)</param>
    public LabelCanvas(int height, int width, int capacityRows, Action<int, int, ReadOnlyMemory<int>> sink)
    {
        Height = height; Width = width; this.capacityRows = Math.Min(capacityRows, height); this.sink = sink;
        band = new int[(long)this.capacityRows * width];
    }

    /// <summary>
    /// Paints <paramref name="label"/> on the pixels of <paramref name="pixels"/> (row-major indices into
    /// <paramref name="window"/>) that no earlier nucleus holds; returns the pixels painted (the same kind of indices, ascending).
    /// </summary>
    public int[] Paint(int label, int[] pixels, PixelRect window)
    {
        var painted = new List<int>(pixels.Length);
        foreach (int p in pixels)
        {
            int y = window.Y + p / window.Width, x = window.X + p % window.Width;
            if (y < FirstRow || y >= FirstRow + capacityRows)
                throw new InvalidOperationException($"row {y} is outside the stitching band {FirstRow}..{FirstRow + capacityRows - 1}");
            long i = (long)(y - FirstRow) * Width + x;
            if (band[i] != 0) continue;
            band[i] = label;
            painted.Add(p);
        }
        return painted.ToArray();
    }

    /// <summary>Hands rows above <paramref name="row"/> to the sink (all remaining rows when it is the image's height).</summary>
    public void WriteRowsAbove(int row)
    {
        row = Math.Min(row, Height);
        int count = row - FirstRow;
        if (count <= 0) return;
        sink(FirstRow, count, band.AsMemory(0, count * Width));
        int kept = capacityRows - count;
        Array.Copy(band, (long)count * Width, band, 0, (long)kept * Width);
        Array.Clear(band, kept * Width, count * Width);
        FirstRow = row;
    }
}
