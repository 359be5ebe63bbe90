namespace Nuclei.Core.IO;

/// <summary>Where a multi-page TIFF's plane layout comes from.</summary>
internal enum PlaneLayoutSource
{
    /// <summary>OME-XML in the first page's ImageDescription (OME-TIFF).</summary>
    Ome,
    /// <summary>An ImageJ hyperstack description (<c>ImageJ=…</c>, <c>channels=</c>, <c>slices=</c>, <c>frames=</c>).</summary>
    ImageJ,
    /// <summary>No metadata: just pages, which may be channels or z planes (the user says which).</summary>
    Pages,
}

/// <summary>
/// The planes of a multi-page TIFF: how many channels, z planes and time points, the channels' names (OME only),
/// and the page (IFD, 0-based) holding each (channel, z, time) plane.
/// </summary>
internal sealed record MultiPlaneImageLayout(
    PlaneLayoutSource Source, int SizeC, int SizeZ, int SizeT, IReadOnlyList<string?> ChannelNames,
    IReadOnlyDictionary<(int C, int Z, int T), int> Pages)
{
    /// <summary>"DAPI, GFP" (unnamed channels as "channel K").</summary>
    public string ChannelListing =>
        string.Join(", ", Enumerable.Range(0, SizeC).Select(c => ChannelNames.ElementAtOrDefault(c) is { Length: > 0 } n ? n : $"channel {c + 1}"));

    /// <summary>Pages without metadata as one channel of <paramref name="pages"/> z planes, or as many channels of one plane.</summary>
    public static MultiPlaneImageLayout OfPages(IReadOnlyList<int> pages, bool asZPlanes) => new(
        PlaneLayoutSource.Pages, asZPlanes ? 1 : pages.Count, asZPlanes ? pages.Count : 1, 1, [],
        pages.Select((ifd, k) => (Key: asZPlanes ? (0, k, 0) : (k, 0, 0), ifd)).ToDictionary(p => p.Key, p => p.ifd));

    /// <summary>
    /// Pages numbered in a dimension order: <paramref name="order"/> lists C, Z and T from the fastest varying
    /// (e.g. "CZT": channel fastest, ImageJ's order; OME's "XYZCT" gives "ZCT").
    /// </summary>
    public static int PlaneIndex(string order, (int C, int Z, int T) plane, (int C, int Z, int T) size)
    {
        int index = 0, stride = 1;
        foreach (char axis in order)
        {
            var (value, extent) = axis switch
            {
                'C' => (plane.C, size.C),
                'Z' => (plane.Z, size.Z),
                'T' => (plane.T, size.T),
                _ => throw new ArgumentException($"dimension order '{order}' holds '{axis}'"),
            };
            index += value * stride;
            stride *= extent;
        }
        return index;
    }

    /// <summary>The (channel, z, time) of the plane numbered <paramref name="index"/> in <paramref name="order"/> (see <see cref="PlaneIndex"/>).</summary>
    public static (int C, int Z, int T) PlaneAt(string order, int index, (int C, int Z, int T) size)
    {
        int c = 0, z = 0, t = 0;
        foreach (char axis in order)
        {
            int extent = axis switch { 'C' => size.C, 'Z' => size.Z, 'T' => size.T, _ => throw new ArgumentException($"dimension order '{order}' holds '{axis}'") };
            int value = index % extent;
            index /= extent;
            if (axis == 'C') c = value; else if (axis == 'Z') z = value; else t = value;
        }
        return (c, z, t);
    }
}
