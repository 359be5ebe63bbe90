namespace Nuclei.Core.Stacks;

/// <summary>
/// One 3D nucleus of a stitched z-stack, in voxels. Positions are 0-based (z = plane, y = row, x = column), as in
/// scikit-image's 3D <c>regionprops</c>; plane z is the output <c>&lt;id&gt;_z&lt;z+1&gt;</c> and Fiji's slice z+1.
/// </summary>
/// <param name="Volume">voxel count</param>
/// <param name="FirstZ">the first plane holding the nucleus</param>
/// <param name="LastZ">the last plane holding the nucleus</param>
internal sealed record StackNucleus(int Label, long Volume, int FirstZ, int LastZ, double CentroidZ, double CentroidY, double CentroidX)
{
    /// <summary>The planes the nucleus spans (stitching joins adjacent planes only, so it holds each of them).</summary>
    public int ZExtent => LastZ - FirstZ + 1;
}
