using System.CommandLine;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The options about what is written besides label maps (measurements, exports, overlay drawing, report), shared by
/// `segment` and `partition` so both spell and read them the same way.
/// </summary>
internal sealed class OutputCommandOptions
{
    readonly Option<bool> measure = new("--measure") { Description = "also write measurements.csv: one row per nucleus (area, perimeter, centroid, bounding box, axes, orientation, eccentricity, solidity, extent, circularity, border flag, per-channel intensity statistics)" };
    readonly Option<double?> pixelSize = new("--pixel-size") { Description = "micrometres per pixel: measurements in µm / µm² and the label TIFF calibrated" };
    readonly Option<string?> export = new("--export") { Description = $"also write, per image, any of: {ExportFormatNames.Listing} (comma separated): " +
        string.Join(", ", ExportFormats.All.Select(e => $"{e.Description} <id>{e.Suffix}")) };
    readonly Option<int> outlineWidth = new("--outline-width") { Description = "overlay outline width in pixels; 0 = scaled to the image size", DefaultValueFactory = _ => 0 };
    readonly Option<bool> numbers = new("--overlay-numbers") { Description = "write each nucleus' label number on the overlay" };
    readonly Option<bool> report = new("--report") { Description = "also write report.html: summary, overlay thumbnails, distributions of count, area and intensity, slowest and failed images (and scores and errors with segment --truth)" };
    readonly Option<bool> sideBySide = new("--overlay-side-by-side") { Description = "overlay as image | outlines side by side" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { measure, pixelSize, export, outlineWidth, numbers, sideBySide, report })
            command.Options.Add(o);
    }

    /// <summary>The parsed options; an unknown export name or a bad value is an input error.</summary>
    public OutputOptions Read(ParseResult parse)
    {
        var options = new OutputOptions(
            Measure: parse.GetValue(measure),
            PixelSizeUm: parse.GetValue(pixelSize),
            Exports: ExportFormatNames.Parse(parse.GetValue(export)),
            Overlay: new OverlayOptions(parse.GetValue(outlineWidth), parse.GetValue(numbers), parse.GetValue(sideBySide)),
            Report: parse.GetValue(report));
        options.Validate();
        return options;
    }
}
