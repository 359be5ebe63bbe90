using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Stacks;

/// <summary>
/// Objects drawn through the planes of a synthetic z-stack: spheres (a disc per plane of radius √(R² − (Δz·step)²)) and
/// cylinders (the same disc over a range of planes), each with the exact voxels it covers, so stitching can be checked
/// against what was drawn.
/// </summary>
internal sealed class SyntheticStack(int depth, int height, int width)
{
    public int Depth => depth;
    public int Height => height;
    public int Width => width;

    /// <summary>Per object (1-based, in drawing order), the voxel indices (z·H·W + y·W + x) it covers.</summary>
    public List<HashSet<long>> Objects { get; } = [];

    /// <summary>A sphere of radius <paramref name="radius"/> px about (z, y, x), planes <paramref name="step"/> px apart; discs under 3 px are left out.</summary>
    public SyntheticStack Sphere(int z, int y, int x, double radius, double step) =>
        Draw(Enumerable.Range(0, depth).Select(k => (k, Math.Sqrt(Math.Max(0, radius * radius - Math.Pow((k - z) * step, 2))))).Where(d => d.Item2 >= 3), y, x);

    /// <summary>A disc of radius <paramref name="radius"/> about (y, x) in planes <paramref name="first"/>..<paramref name="last"/>.</summary>
    public SyntheticStack Cylinder(int first, int last, int y, int x, double radius) =>
        Draw(Enumerable.Range(first, last - first + 1).Select(k => (k, radius)), y, x);

    SyntheticStack Draw(IEnumerable<(int Z, double Radius)> discs, int y, int x)
    {
        var voxels = new HashSet<long>();
        foreach (var (z, r) in discs)
            for (int yy = 0; yy < height; yy++)
                for (int xx = 0; xx < width; xx++)
                    if ((yy - y) * (yy - y) + (xx - x) * (xx - x) <= r * r) voxels.Add(((long)z * height + yy) * width + xx);
        Objects.Add(voxels);
        return this;
    }

    /// <summary>
    /// Each plane's label map, its objects numbered afresh in every plane (in an order drawn from
    /// <paramref name="seed"/>), as a 2D segmenter would: only overlap can tell which labels are one object.
    /// </summary>
    public IReadOnlyList<LabelImage> PlaneLabels(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, depth).Select(z =>
        {
            var plane = new LabelImage(height, width);
            var numbers = Enumerable.Range(1, Objects.Count).OrderBy(_ => random.Next()).ToArray();
            for (int o = 0; o < Objects.Count; o++)
                foreach (long v in Objects[o])
                    if (v / ((long)height * width) == z) plane.Data[v % ((long)height * width)] = numbers[o] + 7;
            return plane;
        }).ToList();
    }

    /// <summary>The planes as 16-bit images: objects at 3000 over a background of 200, with a little noise.</summary>
    public IReadOnlyList<ushort[]> Intensities(int seed)
    {
        var random = new Random(seed);
        var inside = Objects.SelectMany(o => o).ToHashSet();
        return Enumerable.Range(0, depth).Select(z => Enumerable.Range(0, height * width)
            .Select(i => (ushort)((inside.Contains((long)z * height * width + i) ? 3000 : 200) + random.Next(0, 40))).ToArray()).ToList();
    }
}
