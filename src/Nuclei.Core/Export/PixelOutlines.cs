namespace Nuclei.Core.Export;

/// <summary>
/// Traces the outlines of a binary mask along pixel edges ("crack following", Rosenfeld and Kak, Digital Picture
/// Processing, 1982; the outlines ImageJ's Wand and QuPath's ContourTracing produce), so a polygon covers exactly
/// the object's pixels. OpenCV's findContours traces pixel centres instead, which loses half a pixel all round
/// (a quarter of the area of a small nucleus), so it does not serve here.
/// Each pixel edge between object and background becomes a directed edge with the object on its right (y down);
/// edges are chained into rings, rings are split where they touch themselves (two pixels meeting at a corner), and
/// rings with positive area are shells, the others holes, each given to the smallest shell around it.
/// </summary>
internal static class PixelOutlines
{
    /// <param name="mask">0/1, row-major</param>
    /// <param name="offsetX">added to every x (the mask's position in the image); likewise <paramref name="offsetY"/></param>
    public static IReadOnlyList<PixelPolygon> Trace(byte[] mask, int height, int width, int offsetX = 0, int offsetY = 0)
    {
        var rings = new List<List<GridPoint>>();
        foreach (var ring in ChainEdges(mask, height, width))
            foreach (var simple in SplitAtRepeats(ring))
                rings.Add(Simplify(simple).Select(p => new GridPoint(p.X + offsetX, p.Y + offsetY)).ToList());
        return Assemble(rings);
    }

    /// <summary>Directed boundary edges chained into closed vertex loops (possibly touching themselves).</summary>
    static List<List<GridPoint>> ChainEdges(byte[] mask, int height, int width)
    {
        bool In(int x, int y) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] != 0;
        var outgoing = new Dictionary<GridPoint, List<GridPoint>>(); // start vertex → end vertices of unused edges
        void Add(int x0, int y0, int x1, int y1)
        {
            var from = new GridPoint(x0, y0);
            if (!outgoing.TryGetValue(from, out var list)) outgoing[from] = list = new List<GridPoint>(1);
            list.Add(new GridPoint(x1, y1));
        }
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            if (!In(x, y)) continue;
            if (!In(x, y - 1)) Add(x, y, x + 1, y);
            if (!In(x + 1, y)) Add(x + 1, y, x + 1, y + 1);
            if (!In(x, y + 1)) Add(x + 1, y + 1, x, y + 1);
            if (!In(x - 1, y)) Add(x, y + 1, x, y);
        }

        var loops = new List<List<GridPoint>>();
        foreach (var start in outgoing.Keys.OrderBy(p => p.Y).ThenBy(p => p.X).ToList())
        {
            while (outgoing.TryGetValue(start, out var ends) && ends.Count > 0)
            {
                var loop = new List<GridPoint>();
                var at = start;
                do
                {
                    loop.Add(at);
                    var next = outgoing[at];
                    var to = next[^1]; // at a corner two edges leave; either one closes a loop, SplitAtRepeats separates them
                    next.RemoveAt(next.Count - 1);
                    at = to;
                } while (at != start);
                loops.Add(loop);
            }
        }
        return loops;
    }

    /// <summary>Splits a loop that passes a vertex twice into loops that pass every vertex once.</summary>
    static IEnumerable<List<GridPoint>> SplitAtRepeats(List<GridPoint> loop)
    {
        var stack = new List<GridPoint>();
        var position = new Dictionary<GridPoint, int>();
        foreach (var p in loop)
        {
            if (position.TryGetValue(p, out int k))
            {
                var inner = stack.GetRange(k, stack.Count - k);
                foreach (var q in inner) position.Remove(q);
                stack.RemoveRange(k, stack.Count - k);
                yield return inner;
            }
            position[p] = stack.Count;
            stack.Add(p);
        }
        yield return stack;
    }

    /// <summary>Drops vertices in the middle of straight runs.</summary>
    static List<GridPoint> Simplify(List<GridPoint> ring)
    {
        var result = new List<GridPoint>(ring.Count);
        for (int i = 0; i < ring.Count; i++)
        {
            var prev = ring[(i + ring.Count - 1) % ring.Count];
            var cur = ring[i];
            var next = ring[(i + 1) % ring.Count];
            bool straight = (prev.X == cur.X && cur.X == next.X) || (prev.Y == cur.Y && cur.Y == next.Y);
            if (!straight) result.Add(cur);
        }
        return result;
    }

    static IReadOnlyList<PixelPolygon> Assemble(List<List<GridPoint>> rings)
    {
        var shells = rings.Where(r => PixelPolygon.DoubleArea(r) > 0).OrderBy(PixelPolygon.DoubleArea).ToList();
        var holes = shells.ToDictionary(s => s, _ => new List<IReadOnlyList<GridPoint>>());
        foreach (var hole in rings.Where(r => PixelPolygon.DoubleArea(r) < 0))
        {
            var (px, py) = PointInside(hole);
            var shell = shells.First(s => Contains(s, px, py)); // smallest first
            holes[shell].Add(hole);
        }
        return shells.OrderBy(s => s[0].Y).ThenBy(s => s[0].X)
            .Select(s => new PixelPolygon(s, holes[s])).ToList();
    }

    /// <summary>
    /// The centre of the background pixel on the left of a hole's first edge: inside the hole, and never on any
    /// outline (centres are at half-integers, outlines on integers).
    /// </summary>
    static (double X, double Y) PointInside(IReadOnlyList<GridPoint> ring)
    {
        var a = ring[0]; var b = ring[1];
        int dx = Math.Sign(b.X - a.X), dy = Math.Sign(b.Y - a.Y);
        return (a.X + dx * 0.5 + dy * 0.5, a.Y + dy * 0.5 - dx * 0.5);
    }

    /// <summary>Even-odd ray casting (the point is never on the ring, see <see cref="PointInside"/>).</summary>
    static bool Contains(IReadOnlyList<GridPoint> ring, double x, double y)
    {
        bool inside = false;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            var a = ring[i]; var b = ring[j];
            if ((a.Y > y) != (b.Y > y) && x < (double)(b.X - a.X) * (y - a.Y) / (b.Y - a.Y) + a.X)
                inside = !inside;
        }
        return inside;
    }
}
