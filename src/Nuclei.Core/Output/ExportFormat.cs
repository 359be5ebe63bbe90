using Nuclei.Core.Export;
using Nuclei.Core.Settings;

namespace Nuclei.Core.Output;

/// <summary>Files written per image besides the label map and overlay, asked for with <c>--export</c>.</summary>
[Flags]
public enum ExportFormat
{
    None = 0,
    /// <summary>QuPath detections, <c>&lt;id&gt;.geojson</c> (see <see cref="QuPathGeoJson"/>)</summary>
    GeoJson = 1,
    /// <summary>ImageJ/Fiji ROI set, <c>&lt;id&gt;.rois.zip</c> (see <see cref="ImageJRoiZip"/>)</summary>
    ImageJRoi = 2,
    /// <summary>label TIFF with calibration, <c>&lt;id&gt;.labels.tif</c> (see <see cref="LabelTiff"/>)</summary>
    Tiff = 4,
}

/// <summary>The names <c>--export</c> accepts, the one place they are listed.</summary>
public static class ExportFormatNames
{
    static readonly IReadOnlyDictionary<string, ExportFormat> ByName = new Dictionary<string, ExportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["geojson"] = ExportFormat.GeoJson,
        ["imagej-roi"] = ExportFormat.ImageJRoi,
        ["tiff"] = ExportFormat.Tiff,
    };

    public static string Listing => string.Join(", ", ByName.Keys);

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
