namespace Nuclei.Torch.Inference;

/// <summary>
/// Where the tiles go along one axis and how much each pixel of a tile counts when tiles are blended.
/// Consecutive tiles overlap by at least <c>overlap</c>; the last tile is clamped to the end of the axis.
/// </summary>
internal static class TileLayout
{
    /// <summary>
    /// The tiles along one axis of a part [<paramref name="partStart"/>, + <paramref name="partLength"/>) of an axis of
    /// <paramref name="wholeLength"/> pixels: the whole axis's tile grid, each of its tiles cut to the part and weighted
    /// as on the whole axis, so that a part (a block of a slide) has its seams where the whole image has them and is
    /// blended the same way. For the whole axis this is the grid itself. Tile sides are <paramref name="tile"/> capped
    /// at the axis rounded up to <paramref name="multiple"/>; an axis shorter than a tile is padded to one tile.
    /// </summary>
    /// <returns>the spans in the part's coordinates, and the length the part is padded to (on its far side) so that every span fits</returns>
    public static (TileSpan[] Spans, int PaddedLength) Along(int wholeLength, int partStart, int partLength, int tile, int overlap, int multiple)
    {
        if (partStart < 0 || partLength <= 0 || partStart + partLength > wholeLength)
            throw new ArgumentException($"part [{partStart}, {partStart + partLength}) is not inside an axis of {wholeLength}");
        int side = Math.Min(tile, RoundUp(wholeLength, multiple));
        int paddedWhole = Math.Max(wholeLength, side);
        int end = partStart + partLength == wholeLength ? paddedWhole : partStart + partLength;
        var cut = new List<(int From, int To, int GridStart)>();
        foreach (int s in Starts(paddedWhole, side, overlap))
        {
            int from = Math.Max(s, partStart), to = Math.Min(s + side, end);
            if (to > from) cut.Add((from, to, s));
        }
        int padded = Math.Max(end - partStart, cut.Max(c => RoundUp(c.To - c.From, multiple)));
        var spans = cut.Select(c =>
        {
            float[] grid = Weights(side, overlap, c.GridStart > 0, c.GridStart + side < paddedWhole);
            int length = RoundUp(c.To - c.From, multiple);
            // a cut tile's span is rounded up to the multiple inside the part; the pixels beyond the cut weigh nothing
            int start = Math.Min(c.From - partStart, padded - length);
            var weights = new float[length];
            for (int i = 0; i < length; i++)
            {
                int q = partStart + start + i;
                if (q >= c.From && q < c.To) weights[i] = grid[q - c.GridStart];
            }
            return new TileSpan(start, length, weights);
        }).Where(span => span.Weights.Any(w => w > 0)).ToArray();   // a sliver in a tile's dead border adds nothing
        return (spans, padded);
    }

    /// <summary><paramref name="v"/> rounded up to a multiple of <paramref name="m"/> (a network's size multiple).</summary>
    public static int RoundUp(int v, int m) => (v + m - 1) / m * m;

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
