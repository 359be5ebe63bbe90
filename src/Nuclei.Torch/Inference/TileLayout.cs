namespace Nuclei.Torch.Inference;

/// <summary>
/// Where the tiles go along one axis and how much each pixel of a tile counts when tiles are blended.
/// Consecutive tiles overlap by at least <c>overlap</c>; the last tile is clamped to the end of the axis.
/// </summary>
public static class TileLayout
{
    /// <summary>Tile starts covering [0, length) with tiles of <paramref name="tile"/> (length ≥ tile).</summary>
    public static int[] Starts(int length, int tile, int overlap)
    {
        if (tile > length) throw new ArgumentException($"tile {tile} longer than the axis {length}");
        int stride = Math.Max(1, tile - overlap);
        var starts = new List<int> { 0 };
        int s = 0;
        while (s + tile < length)
        {
            s = Math.Min(s + stride, length - tile);
            starts.Add(s);
        }
        return starts.ToArray();
    }

    /// <summary>
    /// Blend weight along one axis of a tile: 0 for the outer quarter of the overlap (where the tile's own
    /// border distorts the network output), then a raised-cosine (Hann) ramp to 1 over the rest of the
    /// overlap; no ramp on a side that touches the image border, which no other tile covers.
    /// The weights sum to more than 0 everywhere because neighbours overlap by at least <paramref name="overlap"/>.
    /// Idea as in the smooth tiling of e.g. Chevalier's "Smoothly-Blend-Image-Patches" (Hann window).
    /// </summary>
    public static float[] Weights(int tile, int overlap, bool rampAtStart, bool rampAtEnd)
    {
        var w = new float[tile];
        int dead = overlap / 4, ramp = Math.Max(1, overlap - dead);
        for (int i = 0; i < tile; i++)
        {
            float a = rampAtStart ? Ramp(i, dead, ramp) : 1f;
            float b = rampAtEnd ? Ramp(tile - 1 - i, dead, ramp) : 1f;
            w[i] = Math.Min(a, b);
        }
        return w;
    }

    private static float Ramp(int distanceFromEdge, int dead, int ramp)
    {
        if (distanceFromEdge < dead) return 0f;
        int d = distanceFromEdge - dead;
        if (d >= ramp) return 1f;
        return (float)(0.5 - 0.5 * Math.Cos(Math.PI * (d + 0.5) / ramp));
    }
}
