using Nuclei.Core.Settings;

namespace Nuclei.Core.IO;

/// <summary>How the planes of a z-stack become the one image that is segmented.</summary>
public enum ZProjection
{
    /// <summary>Nothing chosen: an image with several z planes is refused.</summary>
    None,
    /// <summary>Per pixel, the brightest plane (maximum-intensity projection).</summary>
    Max,
    /// <summary>Per pixel, the mean over the planes.</summary>
    Mean,
    /// <summary>Each plane on its own: one output per plane, named <c>&lt;id&gt;_z&lt;k&gt;</c>.</summary>
    Each,
    /// <summary>
    /// As <see cref="Each"/>, and then the planes' nuclei joined into 3D nuclei by their overlap (see
    /// <see cref="Stacks.PlaneStitching"/>): one 3D label stack per image.
    /// </summary>
    Stitch,
}

/// <summary>
/// Which plane(s) of a multi-channel or multi-plane image hold the nuclei: the nuclear channel (1-based number,
/// or a channel name from the file's OME metadata) and what to do with z planes. With neither, single-plane images
/// (gray or RGB) are read as they are and every other image is refused, naming its channels or planes.
/// <see cref="StitchThreshold"/> is the overlap (IoU) that joins nuclei of adjacent planes under <see cref="ZProjection.Stitch"/>.
/// </summary>
public sealed record PlaneChoice(string? Channel = null, ZProjection Z = ZProjection.None, double StitchThreshold = PlaneChoice.DefaultStitchThreshold)
{
    public static readonly PlaneChoice Default = new();

    /// <summary>Cellpose's usual <c>--stitch_threshold</c> for nuclei (its own default, 0, means no stitching).</summary>
    public const double DefaultStitchThreshold = 0.25;

    /// <summary>Each z plane is segmented on its own (<see cref="ZProjection.Each"/> and <see cref="ZProjection.Stitch"/>).</summary>
    public bool PerPlane => Z is ZProjection.Each or ZProjection.Stitch;

    /// <summary>The 1-based channel number when <see cref="Channel"/> is a number, else null (a name, or nothing).</summary>
    public int? ChannelNumber => int.TryParse(Channel, out int n) ? n : null;

    /// <summary>
    /// The choice as typed on the command line (<c>--channel N|NAME</c>, <c>--z max|mean|each|stitch</c>,
    /// <c>--stitch-threshold IOU</c>); <paramref name="allowEach"/> false allows only the projections into one image.
    /// </summary>
    /// <exception cref="NucleiInputException">a channel number below 1, an empty name, an unknown --z, or a threshold without --z stitch or outside (0, 1].</exception>
    public static PlaneChoice Parse(string? channel, string? z, bool allowEach = true, double? stitchThreshold = null)
    {
        string? name = channel?.Trim();
        if (name is { Length: 0 }) throw new NucleiInputException(null, $"{Setting.Channel} needs a channel number (1-based) or name");
        if (int.TryParse(name, out int n) && n < 1) throw new NucleiInputException(null, $"{Setting.Channel} numbers start at 1, got {n}");
        var projection = z?.Trim().ToLowerInvariant() switch
        {
            null => ZProjection.None,
            "max" => ZProjection.Max,
            "mean" => ZProjection.Mean,
            "each" when allowEach => ZProjection.Each,
            "stitch" when allowEach => ZProjection.Stitch,
            _ => throw new NucleiInputException(null, $"{Setting.Z} must be {(allowEach ? "max, mean, each or stitch" : "max or mean")}, got '{z}'"),
        };
        if (stitchThreshold is not double t) return new PlaneChoice(name, projection);
        if (projection != ZProjection.Stitch) throw new NucleiInputException(null, $"{Setting.StitchThreshold} needs {Setting.Z} stitch");
        // 0 would join nuclei that do not touch at all (Cellpose reads 0 as "no stitching"; here that is --z each)
        if (!(t > 0 && t <= 1)) throw new NucleiInputException(null, $"{Setting.StitchThreshold} is an IoU in (0, 1], got {t}");
        return new PlaneChoice(name, projection, t);
    }
}
