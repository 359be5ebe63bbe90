using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Settings;

namespace Nuclei.Core.IO;

/// <summary>
/// Reads the image to segment from a file as a microscope writes it: a gray or RGB picture as it is (see
/// <see cref="ImageIO.ReadImage"/>), or the chosen channel and z planes (<see cref="PlaneChoice"/>) of a multi-page
/// TIFF, OME-TIFF or ImageJ hyperstack. An image with several channels, z planes or pages and no choice is refused
/// with a message listing them: the first page is never taken silently.
/// </summary>
internal static class MultiPlaneImage
{
    /// <summary>
    /// The layout of a multi-page TIFF (more than one full-resolution page), or null for any other image, which
    /// <see cref="ImageIO"/> reads (also a TIFF LibTiff cannot open: OpenCV then names the problem). Every page's
    /// header passes <see cref="ImageGate"/> first, and the pages are counted by it (not by LibTiff's 16-bit count).
    /// </summary>
    public static MultiPlaneImageLayout? Describe(string path) => Describe(path, out _);

    static MultiPlaneImageLayout? Describe(string path, out DeclaredImage? declared)
    {
        declared = null;
        if (Path.GetExtension(path).ToLowerInvariant() is not (".tif" or ".tiff") || !File.Exists(path)) return null;
        declared = ImageGate.Open(path);
        if (declared.Format != EncodedFormat.Tiff) return null;
        using var tiff = MultiPlaneImagePage.Open(path);
        if (tiff is null) return null;
        var layout = MultiPlaneImageMetadata.Parse(MultiPlaneImagePage.Description(tiff), path, declared.Pages.Count);
        if (layout is not null) return layout.Pages.Count > 1 ? layout : null;
        var pages = declared.Planes.Select(p => p.Index).ToList();
        return pages.Count > 1 ? MultiPlaneImageLayout.OfPages(pages, asZPlanes: false) : null;
    }

    /// <summary>
    /// Refuses a file of several planes (channels, z planes, time points or pages) for the readers that take one plane
    /// per file (data check and describe, evaluate, training): as <see cref="Read"/> without a choice, they never take
    /// page 1 silently. Nothing for any other image.
    /// </summary>
    /// <exception cref="NucleiInputException">the file holds several planes (the message lists them)</exception>
    public static void RequireOnePlane(string path)
    {
        if (Describe(path) is { } layout)
            throw new NucleiInputException(path, $"{Listing(layout)}; this command reads one plane per file and does not guess which: " +
                "save the plane to use as a file of its own (nuclei segment chooses one with --channel and --z)");
    }

    /// <summary>What a multi-plane file holds, as the refusals name it: "2 channels (DAPI, GFP) and 5 z planes".</summary>
    static string Listing(MultiPlaneImageLayout layout)
    {
        if (layout.Source == PlaneLayoutSource.Pages) return $"{layout.Pages.Count} pages without OME or ImageJ metadata";
        var parts = new List<string>();
        if (layout.SizeC > 1) parts.Add($"{layout.SizeC} channels ({layout.ChannelListing})");
        if (layout.SizeZ > 1) parts.Add($"{layout.SizeZ} z planes");
        if (layout.SizeT > 1) parts.Add($"{layout.SizeT} time points");
        return parts.Count > 0 ? string.Join(" and ", parts) : $"{layout.Pages.Count} planes";
    }

    /// <summary>
    /// With <see cref="ZProjection.Each"/> (and <see cref="ZProjection.Stitch"/>), each image of several z planes becomes one item per plane, id
    /// <c>&lt;id&gt;_z&lt;k&gt;</c> (k from 1, zero-padded to the plane count's width); other items are kept as they are.
    /// An image whose layout cannot be read stays one item, so reading it fails with the reason.
    /// </summary>
    public static IReadOnlyList<InputImage> Expand(IReadOnlyList<InputImage> items, PlaneChoice choice)
    {
        if (!choice.PerPlane) return items;
        var result = new List<InputImage>();
        foreach (var item in items)
        {
            int planes;
            try { planes = Describe(item.ImagePath) is { } layout ? Settle(layout, choice, item.ImagePath).SizeZ : 1; }
            catch (NucleiInputException) { planes = 1; }
            if (planes <= 1) { result.Add(item); continue; }
            int digits = planes.ToString().Length;
            for (int z = 1; z <= planes; z++)
                result.Add(item with { Id = $"{item.Id}_z{z.ToString().PadLeft(digits, '0')}", Plane = z });
        }
        return result;
    }

    /// <summary>The image to segment from <paramref name="item"/>'s file (its <see cref="InputImage.Plane"/> with <see cref="ZProjection.Each"/>).</summary>
    /// <exception cref="NucleiInputException">the file cannot be read, or the choice does not fit it (the message lists its channels or planes).</exception>
    public static FloatImage Read(InputImage item, PlaneChoice choice, Action<string>? warn = null)
    {
        string path = item.ImagePath;
        var layout = Describe(path, out var declared);
        if (layout is null) return ColourChannel(ImageIO.ReadImage(path, warn), choice, path, warn);
        layout = Settle(layout, choice, path);
        int channel = ChannelIndex(layout, choice, path);
        var chosen = Planes(layout, choice, item, path).Select(z => declared!.Pages[layout.Pages[(channel, z, 0)]]).ToList();
        ImageGate.AdmitWhole(declared!, chosen); // all of them are held at once for a z projection
        using var tiff = MultiPlaneImagePage.Open(path) ?? throw new NucleiInputException(path, "cannot open the TIFF");
        var planes = chosen.Select(page => MultiPlaneImagePage.Read(tiff, page, path)).ToList();
        var image = ZProjections.Combine(planes, choice.Z, path);
        NonFiniteSamples.Replace(image, path, warn);
        if (warn is not null && layout.SizeC > 1 && BlankChannel.IsBlank(image))
            WarnBlank(layout, channel, plane => MultiPlaneImagePage.Read(tiff, declared!.Pages[layout.Pages[plane]], path), choice, item, path, warn);
        return image;
    }

    /// <summary>
    /// Warns that the chosen channel is blank when another has signal (see <see cref="BlankChannel"/>), looking at the
    /// first chosen z plane of each other channel: only read when the chosen channel is blank, which is rare.
    /// </summary>
    static void WarnBlank(MultiPlaneImageLayout layout, int channel, Func<(int C, int Z, int T), FloatImage> read,
        PlaneChoice choice, InputImage item, string path, Action<string> warn)
    {
        int z = Planes(layout, choice, item, path)[0];
        var withSignal = Enumerable.Range(0, layout.SizeC).Where(c => c != channel && !BlankChannel.IsBlank(read((c, z, 0)))).ToList();
        var names = Enumerable.Range(0, layout.SizeC)
            .Select(c => layout.ChannelNames.ElementAtOrDefault(c) is { Length: > 0 } n ? n : $"channel {c + 1}").ToList();
        if (BlankChannel.Warning(path, choice.Channel!, channel, names, withSignal) is { } message) warn(message);
    }

    /// <summary>
    /// Refuses what this reader will not guess (time series; channels or z planes with nothing chosen) and decides
    /// what metadata-less pages are: z planes with --z, channels with --channel.
    /// </summary>
    static MultiPlaneImageLayout Settle(MultiPlaneImageLayout layout, PlaneChoice choice, string path)
    {
        if (layout.Source == PlaneLayoutSource.Pages)
        {
            int pages = layout.Pages.Count;
            if (choice.Channel is not null && choice.Z != ZProjection.None)
                throw new NucleiInputException(path, $"{pages} pages without OME or ImageJ metadata: they are either channels ({Setting.Channel}) or z planes ({Setting.Z}), not both");
            if (choice.Channel is null && choice.Z == ZProjection.None)
                throw new NucleiInputException(path, $"{pages} pages without OME or ImageJ metadata; choose one with {Setting.Channel} N (pages as channels) or combine them with {Setting.Z} max|mean|each|stitch (pages as z planes)");
            return MultiPlaneImageLayout.OfPages(layout.Pages.OrderBy(p => p.Value).Select(p => p.Value).ToList(), asZPlanes: choice.Z != ZProjection.None);
        }
        if (layout.SizeT > 1)
            throw new NucleiInputException(path, $"{layout.SizeT} time points; time series are not read, save one time point per file");
        bool needChannel = layout.SizeC > 1 && choice.Channel is null, needZ = layout.SizeZ > 1 && choice.Z == ZProjection.None;
        string channels = $"{layout.SizeC} channels ({layout.ChannelListing})", zPlanes = $"{layout.SizeZ} z planes";
        if (needChannel && needZ)
            throw new NucleiInputException(path, $"{channels} and {zPlanes}; choose a channel with {Setting.Channel} and the planes with {Setting.Z} max|mean|each|stitch");
        if (needChannel) throw new NucleiInputException(path, $"{channels}; choose one with {Setting.Channel}");
        if (needZ) throw new NucleiInputException(path, $"{zPlanes}; choose {Setting.Z} max, mean, each or stitch");
        return layout;
    }

    /// <summary>The 0-based channel <paramref name="choice"/> names (by number or OME channel name).</summary>
    static int ChannelIndex(MultiPlaneImageLayout layout, PlaneChoice choice, string path)
    {
        if (choice.Channel is null) return 0; // one channel only (Settle refused several)
        if (choice.ChannelNumber is int n)
            return n <= layout.SizeC ? n - 1
                : throw new NucleiInputException(path, $"{Setting.Channel} {n}, but the image has {layout.SizeC} channel(s) ({layout.ChannelListing})");
        int named = Enumerable.Range(0, layout.SizeC)
            .FirstOrDefault(c => string.Equals(layout.ChannelNames.ElementAtOrDefault(c), choice.Channel, StringComparison.OrdinalIgnoreCase), -1);
        return named >= 0 ? named
            : throw new NucleiInputException(path, $"no channel named '{choice.Channel}'; its {layout.SizeC} channel(s): {layout.ChannelListing}");
    }

    static IReadOnlyList<int> Planes(MultiPlaneImageLayout layout, PlaneChoice choice, InputImage item, string path)
    {
        if (!choice.PerPlane || layout.SizeZ == 1) return Enumerable.Range(0, layout.SizeZ).ToList();
        return item.Plane is int k && k >= 1 && k <= layout.SizeZ ? [k - 1]
            : throw new NucleiInputException(path, $"{Setting.Z} {choice.Z.ToString().ToLowerInvariant()}: no plane {item.Plane} among its {layout.SizeZ} z planes");
    }

    /// <summary>
    /// A gray or colour image with --channel: channel N of an RGB image (1 = red), or channel 1 of a gray one; with
    /// <paramref name="warn"/>, a warning when channel N is blank but another colour is not (see <see cref="BlankChannel"/>).
    /// </summary>
    public static FloatImage ColourChannel(FloatImage image, PlaneChoice choice, string path, Action<string>? warn = null)
    {
        if (choice.Channel is null) return image;
        string kind = image.Channels == 1 ? "gray, 1 channel" : $"colour, {image.Channels} channels (1 = red, 2 = green, 3 = blue)";
        if (choice.ChannelNumber is not int n)
            throw new NucleiInputException(path, $"{Setting.Channel} '{choice.Channel}': this image has no channel names ({kind}); give a number");
        if (n > image.Channels) throw new NucleiInputException(path, $"{Setting.Channel} {n}, but the image is {kind}");
        if (image.Channels == 1) return image;
        if (warn is not null && BlankChannel.IsBlank(image, n - 1))
        {
            var withSignal = Enumerable.Range(0, image.Channels).Where(c => c != n - 1 && !BlankChannel.IsBlank(image, c)).ToList();
            string[] colours = ["red", "green", "blue", "alpha"];
            if (BlankChannel.Warning(path, choice.Channel!, n - 1, colours[..image.Channels], withSignal) is { } message) warn(message);
        }
        var one = new FloatImage(image.Height, image.Width, 1);
        for (int i = 0; i < one.Data.Length; i++) one.Data[i] = image.Data[i * image.Channels + n - 1];
        return one;
    }
}
