using Nuclei.Core.Export;

namespace Nuclei.Tests.Outputs;

public class PixelOutlineTests
{
    static (byte[] Mask, int H, int W) Parse(params string[] rows)
    {
        int h = rows.Length, w = rows[0].Length;
        var mask = new byte[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) mask[y * w + x] = rows[y][x] == '#' ? (byte)1 : (byte)0;
        return (mask, h, w);
    }

    static void AssertSimpleRings(PixelPolygon p)
    {
        foreach (var ring in p.Holes.Prepend(p.Shell))
        {
            Assert.Equal(ring.Count, ring.Distinct().Count()); // no ring passes a vertex twice
            Assert.True(ring.Count >= 4);
        }
        Assert.True(PixelPolygon.DoubleArea(p.Shell) > 0);
        Assert.All(p.Holes, h => Assert.True(PixelPolygon.DoubleArea(h) < 0));
    }

    [Fact]
    public void A_rectangle_is_four_corners_on_the_pixel_edges_offset_into_the_image()
    {
        var (m, h, w) = Parse("###", "###");
        var p = Assert.Single(PixelOutlines.Trace(m, h, w, offsetX: 10, offsetY: 20));
        Assert.Equal(new GridPoint[] { new(10, 20), new(13, 20), new(13, 22), new(10, 22) }, p.Shell);
        Assert.Empty(p.Holes);
        Assert.Equal(6, p.Area);
    }

    public static TheoryData<string[], int, int[]> Cases => new()
    {
        // pieces and holes per piece (largest piece first is not implied here: order is by position)
        { new[] { "#####", "#...#", "#####" }, 1, new[] { 1 } },                       // ring with a hole
        { new[] { "##..", "##..", "..##", "..##" }, 2, new[] { 0, 0 } },               // two squares meeting at a corner
        { new[] { "#####", "#..##", "#.#.#", "##..#", "#####" }, 1, new[] { 2 } },     // two holes meeting at a corner
        { new[] { "#######", "#.....#", "#.###.#", "#.#.#.#", "#.###.#", "#.....#", "#######" }, 2, new[] { 1, 1 } }, // island with its own hole inside a hole
        { new[] { "###.", "#.#.", "##.#", "...#" }, 2, new[] { 1, 0 } },               // a hole touching the shell at a corner
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Polygons_cover_exactly_the_pixels_with_simple_rings(string[] rows, int pieces, int[] holes)
    {
        var (m, h, w) = Parse(rows);
        var polygons = PixelOutlines.Trace(m, h, w);
        Assert.Equal(pieces, polygons.Count);
        Assert.Equal(holes.Order(), polygons.Select(p => p.Holes.Count).Order());
        Assert.Equal(m.Count(b => b != 0), polygons.Sum(p => p.Area));
        foreach (var p in polygons) AssertSimpleRings(p);
    }
}
