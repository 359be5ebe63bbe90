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
}

/// <summary>
/// Which plane(s) of a multi-channel or multi-plane image hold the nuclei: the nuclear channel (1-based number,
/// or a channel name from the file's OME metadata) and what to do with z planes. With neither, single-plane images
/// (gray or RGB) are read as they are and every other image is refused, naming its channels or planes.
/// </summary>
public sealed record PlaneChoice(string? Channel = null, ZProjection Z = ZProjection.None)
{
    public static readonly PlaneChoice Default = new();

    /// <summary>The 1-based channel number when <see cref="Channel"/> is a number, else null (a name, or nothing).</summary>
    public int? ChannelNumber => int.TryParse(Channel, out int n) ? n : null;

    /// <summary>The choice as typed on the command line (<c>--channel N|NAME</c>, <c>--z max|mean|each</c>).</summary>
    /// <exception cref="NucleiInputException">a channel number below 1, an empty name, or an unknown --z.</exception>
    public static PlaneChoice Parse(string? channel, string? z, bool allowEach = true)
    {
        string? name = channel?.Trim();
        if (name is { Length: 0 }) throw new NucleiInputException(null, "--channel needs a channel number (1-based) or name");
        if (int.TryParse(name, out int n) && n < 1) throw new NucleiInputException(null, $"--channel numbers start at 1, got {n}");
        var projection = z?.Trim().ToLowerInvariant() switch
        {
            null => ZProjection.None,
            "max" => ZProjection.Max,
            "mean" => ZProjection.Mean,
            "each" when allowEach => ZProjection.Each,
            _ => throw new NucleiInputException(null, $"--z must be {(allowEach ? "max, mean or each" : "max or mean")}, got '{z}'"),
        };
        return new PlaneChoice(name, projection);
    }
}
