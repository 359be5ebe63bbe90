using Nuclei.Core.Imaging;
using Nuclei.Core.Settings;

namespace Nuclei.Core.Output;

/// <summary>What <see cref="SegmentationOutputWriter"/> writes besides label maps, overlays and summary.csv.</summary>
/// <param name="Measure">write measurements.csv (one row per nucleus)</param>
/// <param name="PixelSizeUm">micrometres per pixel: sizes in µm in the measurements, calibration in the label TIFF</param>
/// <param name="Exports">per-image files for other tools</param>
/// <param name="Overlay">how overlays are drawn</param>
/// <param name="Report">write report.html (see <see cref="Report.HtmlReport"/>)</param>
internal sealed record OutputOptions(bool Measure = false, double? PixelSizeUm = null, ExportFormat Exports = ExportFormat.None, OverlayOptions? Overlay = null,
    bool Report = false)
{
    public static readonly OutputOptions Default = new();

    public void Validate()
    {
        if (PixelSizeUm is double s && !(s > 0 && double.IsFinite(s)))
            throw new NucleiInputException(null, $"{Setting.PixelSize} must be a positive number of micrometres, got {s}");
        if (Overlay is { OutlineWidth: < 0 } o)
            throw new NucleiInputException(null, $"{Setting.OutlineWidth} must be >= 0 (0 = scaled to the image), got {o.OutlineWidth}");
    }
}
