namespace Nuclei.Core.Export;

/// <summary>A vertex on the pixel-corner grid: pixel (x, y) is the unit square [x, x+1] × [y, y+1].</summary>
internal readonly record struct GridPoint(int X, int Y);

/// <summary>
/// One connected piece of a nucleus as a polygon along pixel edges: the shell (counter-clockwise with y pointing up,
/// i.e. positive shoelace area, as GeoJSON's right-hand rule asks) and its holes (the other way round).
/// Rings are not closed (the last vertex is not repeated) and have no collinear vertices.
/// Its area (shell minus holes) is exactly the piece's pixel count.
/// </summary>
internal sealed record PixelPolygon(IReadOnlyList<GridPoint> Shell, IReadOnlyList<IReadOnlyList<GridPoint>> Holes)
{
    /// <summary>Twice the signed (shoelace) area of a ring; positive for shells.</summary>
    public static long DoubleArea(IReadOnlyList<GridPoint> ring)
    {
        long sum = 0;
        for (int i = 0; i < ring.Count; i++)
        {
            var a = ring[i]; var b = ring[(i + 1) % ring.Count];
            sum += (long)a.X * b.Y - (long)b.X * a.Y;
        }
        return sum;
    }

    /// <summary>The area in pixels: shell minus holes.</summary>
    public long Area => (DoubleArea(Shell) + Holes.Sum(DoubleArea)) / 2;
}
