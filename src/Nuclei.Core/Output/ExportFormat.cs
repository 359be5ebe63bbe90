using Nuclei.Core.Export;
using Nuclei.Core.Settings;

namespace Nuclei.Core.Output;

/// <summary>Files written per image besides the label map and overlay, asked for with <c>--export</c>.</summary>
[Flags]
internal enum ExportFormat
{
    None = 0,
    /// <summary>QuPath detections, <c>&lt;id&gt;.geojson</c> (see <see cref="QuPathGeoJson"/>)</summary>
    GeoJson = 1,
    /// <summary>ImageJ/Fiji ROI set, <c>&lt;id&gt;.rois.zip</c> (see <see cref="ImageJRoiZip"/>)</summary>
    ImageJRoi = 2,
    /// <summary>label TIFF with calibration, <c>&lt;id&gt;.labels.tif</c> (see <see cref="LabelTiff"/>)</summary>
    Tiff = 4,
}

/// <summary>
/// The export formats, the one place they are listed: a new format is its encoder, a flag above and an entry here.
/// The output writer, the <c>--export</c> names and help, and the server's downloads are made from this list.
/// </summary>
internal static class ExportFormats
{
    /// <summary>Every format, in the order <c>--export</c> lists them.</summary>
    public static IReadOnlyList<Exporter> All { get; } =
    [
        new()
        {
            Format = ExportFormat.GeoJson, Name = "geojson", Suffix = QuPathGeoJson.Extension, Description = "QuPath detections",
            Label = "GeoJSON", ContentType = "application/geo+json", NeedsMeasurements = true,
            EncodeFile = e => QuPathGeoJson.Encode(e.Outlines, e.MeasurementsByLabel, e.PixelSizeUm),
        },
        new()
        {
            Format = ExportFormat.ImageJRoi, Name = "imagej-roi", Suffix = ImageJRoiZip.Extension, Description = "ImageJ ROI set",
            Label = "ImageJ ROIs", ContentType = "application/zip",
            EncodeFile = e => ImageJRoiZip.Encode(e.Outlines),
        },
        new()
        {
            Format = ExportFormat.Tiff, Name = "tiff", Suffix = LabelTiff.Extension, Description = "label TIFF",
            Label = "labels TIFF", ContentType = "image/tiff",
            EncodeFile = e => LabelTiff.Encode(e.Labels, e.PixelSizeUm),
        },
    ];

    /// <summary>The formats <paramref name="formats"/> asks for, in the order of <see cref="All"/>.</summary>
    public static IEnumerable<Exporter> Of(ExportFormat formats) => All.Where(e => formats.HasFlag(e.Format));
}

/// <summary>The names <c>--export</c> accepts, those of <see cref="ExportFormats.All"/>.</summary>
internal static class ExportFormatNames
{
    static readonly IReadOnlyDictionary<string, ExportFormat> ByName =
        ExportFormats.All.ToDictionary(e => e.Name, e => e.Format, StringComparer.OrdinalIgnoreCase);

    public static string Listing => string.Join(", ", ExportFormats.All.Select(e => e.Name));

    /// <summary>Parses a comma-separated list such as <c>geojson,imagej-roi,tiff</c>; an unknown name is an input error.</summary>
    public static ExportFormat Parse(string? text)
    {
        var result = ExportFormat.None;
        foreach (string name in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            result |= ByName.TryGetValue(name, out var f) ? f
                : throw new NucleiInputException(null, $"{Setting.Export}: unknown format '{name}' (known: {Listing})");
        return result;
    }
}
