using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Nuclei.Core.IO;

/// <summary>
/// The plane layout a TIFF's first ImageDescription declares: OME-XML (OME-TIFF) or an ImageJ hyperstack header.
/// OME rules followed (OME Data Model, "The OME-TIFF format", docs.openmicroscopy.org/ome-model): Pixels/@SizeC,
/// @SizeZ, @SizeT and @DimensionOrder number the planes; each TiffData maps PlaneCount planes, from the plane at
/// (FirstC, FirstZ, FirstT) on in dimension order, to consecutive IFDs from @IFD (a TiffData without IFD and
/// PlaneCount covers every plane; with only IFD, one plane); no TiffData means plane k is IFD k.
/// ImageJ hyperstacks store their pages channel fastest, then slice, then frame (ImageJ's HyperStackConverter).
/// </summary>
internal static class MultiPlaneImageMetadata
{
    /// <summary>The layout a description declares, or null when it is neither OME-XML nor an ImageJ hyperstack header.</summary>
    /// <exception cref="NucleiInputException">metadata this reader cannot follow (several series, planes in other files, malformed).</exception>
    public static MultiPlaneImageLayout? Parse(string? description, string path, int pageCount)
    {
        if (string.IsNullOrWhiteSpace(description)) return null;
        string text = description.TrimStart();
        if (text.StartsWith('<') && text.Contains("<OME", StringComparison.Ordinal)) return Ome(text, path, pageCount);
        if (text.StartsWith("ImageJ=", StringComparison.Ordinal)) return ImageJ(text, path, pageCount);
        return null;
    }

    static MultiPlaneImageLayout Ome(string xml, string path, int pageCount)
    {
        XElement root;
        try { root = XDocument.Parse(xml).Root!; }
        catch (XmlException e) { throw new NucleiInputException(path, $"malformed OME-XML in the ImageDescription: {e.Message}"); }
        var images = Children(root, "Image").ToList();
        if (images.Count != 1)
            throw new NucleiInputException(path, $"OME-TIFF holds {images.Count} series (OME Image elements); only single-series files are read, save one series per file");
        var pixels = Children(images[0], "Pixels").FirstOrDefault() ?? throw new NucleiInputException(path, "OME-XML Image has no Pixels element");
        var size = (C: Int(pixels, "SizeC", path), Z: Int(pixels, "SizeZ", path), T: Int(pixels, "SizeT", path));
        string order = (string?)pixels.Attribute("DimensionOrder") ?? "XYCZT";
        if (order.Length != 5 || !order.StartsWith("XY", StringComparison.Ordinal) || order[2..].Order().SequenceEqual("CTZ") is false)
            throw new NucleiInputException(path, $"OME-XML DimensionOrder '{order}' is not one of XYCZT, XYZCT, ...");
        order = order[2..];

        var channels = Children(pixels, "Channel").ToList();
        if (channels.Any(c => c.Attribute("SamplesPerPixel") is { } s && s.Value != "1"))
            throw new NucleiInputException(path, "OME-TIFF with several samples per plane (RGB planes) in several pages is not read; save the channels as separate planes");
        var names = Enumerable.Range(0, size.C).Select(c => channels.ElementAtOrDefault(c)?.Attribute("Name") is { } n ? UntrustedText.Clean(n.Value, 64) : null).ToList();

        int planes = DeclaredPlanes(size, path, pageCount, "OME-XML");
        var pages = new Dictionary<(int C, int Z, int T), int>();
        var tiffData = Children(pixels, "TiffData").ToList();
        if (tiffData.Count == 0)
            for (int p = 0; p < planes; p++) pages[MultiPlaneImageLayout.PlaneAt(order, p, size)] = p;
        foreach (var data in tiffData)
        {
            if (Children(data, "UUID").FirstOrDefault()?.Attribute("FileName") is { } file && file.Value != Path.GetFileName(path))
                throw new NucleiInputException(path, $"OME-TIFF planes are stored in another file ({file.Value}); multi-file OME-TIFF is not read");
            bool bare = data.Attribute("IFD") is null && data.Attribute("PlaneCount") is null;
            int ifd = OptionalInt(data, "IFD", 0, path);
            int count = OptionalInt(data, "PlaneCount", bare ? planes : 1, path);
            var at = (C: OptionalInt(data, "FirstC", 0, path), Z: OptionalInt(data, "FirstZ", 0, path), T: OptionalInt(data, "FirstT", 0, path));
            if (at.C >= size.C || at.Z >= size.Z || at.T >= size.T || ifd >= pageCount)
                throw new NucleiInputException(path, $"OME-XML TiffData at IFD {ifd}, C={at.C}, Z={at.Z}, T={at.T} is outside the image's {size.C} channel(s), {size.Z} z plane(s), {size.T} time point(s) or its {pageCount} page(s)");
            int first = MultiPlaneImageLayout.PlaneIndex(order, at, size);
            for (int k = 0; k < count && first + k < planes; k++)
                pages[MultiPlaneImageLayout.PlaneAt(order, first + k, size)] = ifd + k;
        }
        var layout = new MultiPlaneImageLayout(PlaneLayoutSource.Ome, size.C, size.Z, size.T, names, pages);
        EnsureComplete(layout, path, pageCount, "OME-XML");
        return layout;
    }

    static MultiPlaneImageLayout? ImageJ(string header, string path, int pageCount)
    {
        var fields = header.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        if (!fields.ContainsKey("channels") && !fields.ContainsKey("slices") && !fields.ContainsKey("frames")) return null;
        int Field(string key) => !fields.TryGetValue(key, out string? v) ? 1
            : int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n
            : throw new NucleiInputException(path, $"ImageJ description has {key}={v}, not a positive whole number");
        var size = (C: Field("channels"), Z: Field("slices"), T: Field("frames"));
        int planes = DeclaredPlanes(size, path, pageCount, "the ImageJ description");
        var pages = new Dictionary<(int C, int Z, int T), int>();
        for (int p = 0; p < planes; p++) pages[MultiPlaneImageLayout.PlaneAt("CZT", p, size)] = p;
        var layout = new MultiPlaneImageLayout(PlaneLayoutSource.ImageJ, size.C, size.Z, size.T, [], pages);
        EnsureComplete(layout, path, pageCount, "the ImageJ description");
        return layout;
    }

    /// <summary>
    /// C × Z × T, in 64-bit arithmetic (in 32 bits, 65536 × 65536 × 2 wraps to 0), refused before any plane is mapped
    /// when the file does not hold that many pages: metadata costs nothing to write, pages cost their bytes.
    /// </summary>
    static int DeclaredPlanes((int C, int Z, int T) size, string path, int pageCount, string what)
    {
        long planes = DeclaredPage.Saturating(DeclaredPage.Saturating(size.C, size.Z), size.T);
        if (planes > pageCount)
            throw new NucleiInputException(path, $"{what} declares {planes} planes (C={size.C}, Z={size.Z}, T={size.T}) but the file holds {pageCount} page(s)");
        return (int)planes;
    }

    static void EnsureComplete(MultiPlaneImageLayout layout, string path, int pageCount, string what)
    {
        int planes = layout.SizeC * layout.SizeZ * layout.SizeT;
        if (layout.Pages.Count < planes)
            throw new NucleiInputException(path, $"{what} declares {planes} planes but maps only {layout.Pages.Count} to pages");
        if (layout.Pages.Values.Max() >= pageCount)
            throw new NucleiInputException(path, $"{what} declares {planes} planes (C={layout.SizeC}, Z={layout.SizeZ}, T={layout.SizeT}) but the file holds {pageCount} page(s)");
    }

    static IEnumerable<XElement> Children(XElement parent, string localName) => parent.Elements().Where(e => e.Name.LocalName == localName);

    static int Int(XElement e, string attribute, string path) =>
        OptionalInt(e, attribute, null, path) ?? throw new NucleiInputException(path, $"OME-XML {e.Name.LocalName} has no {attribute}");

    static int OptionalInt(XElement e, string attribute, int fallback, string path) => OptionalInt(e, attribute, (int?)fallback, path)!.Value;

    static int? OptionalInt(XElement e, string attribute, int? fallback, string path)
    {
        if (e.Attribute(attribute) is not { } a) return fallback;
        return int.TryParse(a.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && (n >= 1 || !attribute.StartsWith("Size", StringComparison.Ordinal))
            ? n : throw new NucleiInputException(path, $"OME-XML {e.Name.LocalName}/@{attribute}='{UntrustedText.Clean(a.Value, 40)}' is not a valid count or index");
    }
}
