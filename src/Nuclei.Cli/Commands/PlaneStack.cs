using Nuclei.Core.Data;

namespace Nuclei.Cli.Commands;

/// <summary>
/// An image whose z planes `segment --z stitch` segments as images of their own (<c>&lt;id&gt;_z&lt;k&gt;</c>) and then
/// stitches into one 3D label stack (<see cref="StackStitching"/>).
/// </summary>
/// <param name="Id">the image's own id, which names the stack's outputs</param>
/// <param name="PlaneIds">its planes' ids, plane 1 first</param>
sealed record PlaneStack(string Id, string ImagePath, IReadOnlyList<string> PlaneIds)
{
    /// <summary>The images of <paramref name="collected"/> that <paramref name="expanded"/> holds as several planes, in input order.</summary>
    public static IReadOnlyList<PlaneStack> Of(IReadOnlyList<InputImage> collected, IReadOnlyList<InputImage> expanded)
    {
        var planes = expanded.Where(i => i.Plane is not null).GroupBy(i => i.ImagePath)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.Plane).Select(i => i.Id).ToList());
        return collected.Where(i => planes.ContainsKey(i.ImagePath)).Select(i => new PlaneStack(i.Id, i.ImagePath, planes[i.ImagePath])).ToList();
    }
}
