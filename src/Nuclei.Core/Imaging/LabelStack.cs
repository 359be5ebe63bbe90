namespace Nuclei.Core.Imaging;

/// <summary>
/// A 3D instance label map: one <see cref="LabelImage"/> per z plane, plane 0 first, all of one size. A label is one
/// nucleus through every plane it appears in (as <c>segment --z stitch</c> writes them).
/// </summary>
internal sealed class LabelStack
{
    public IReadOnlyList<LabelImage> Planes { get; }
    public int Depth => Planes.Count;
    public int Height => Planes[0].Height;
    public int Width => Planes[0].Width;

    public LabelStack(IReadOnlyList<LabelImage> planes)
    {
        if (planes.Count == 0) throw new ArgumentException("a label stack needs at least one plane", nameof(planes));
        var odd = planes.Select((p, z) => (p, z)).FirstOrDefault(q => q.p.Height != planes[0].Height || q.p.Width != planes[0].Width);
        if (odd.p is not null)
            throw new ArgumentException($"plane {odd.z + 1} is {odd.p.Height}x{odd.p.Width} but plane 1 is {planes[0].Height}x{planes[0].Width}");
        Planes = planes;
    }

    /// <summary>"9x96x128" (z × height × width), as messages name a stack's size.</summary>
    public string Size => $"{Depth}x{Height}x{Width}";
}
