using Nuclei.Core.IO;

namespace Nuclei.Core.Stacks;

/// <summary>
/// <c>&lt;id&gt;.stack.csv</c>: one row per 3D nucleus of a stitched stack (see <see cref="StackNucleus"/>), with the
/// image id first so the files of several stacks can be concatenated. Written through <see cref="CsvTable"/>.
/// </summary>
internal static class StackMeasurementsCsv
{
    public const string Extension = ".stack.csv";

    public static readonly IReadOnlyList<string> Header =
        ["image", "label", "volume_voxels", "z_first", "z_last", "z_extent", "centroid_z", "centroid_y", "centroid_x"];

    /// <summary>Writes the file atomically.</summary>
    public static void Write(string path, string image, IReadOnlyList<StackNucleus> nuclei) =>
        AtomicFile.WriteAllText(path, Format(image, nuclei));

    public static string Format(string image, IReadOnlyList<StackNucleus> nuclei) =>
        CsvTable.Format(Header, nuclei.Select(n => (IReadOnlyList<object?>)new object?[]
        {
            image, n.Label, n.Volume <= int.MaxValue ? (int)n.Volume : (double)n.Volume, n.FirstZ, n.LastZ, n.ZExtent, n.CentroidZ, n.CentroidY, n.CentroidX,
        }));
}
