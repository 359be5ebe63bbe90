using System.Globalization;
using System.Text;
using Nuclei.Core.IO;
using Nuclei.Core.Rle;

namespace Nuclei.Core.Measurements;

/// <summary>
/// <c>measurements.csv</c>: one row per nucleus (image, label, then the measurements of <see cref="NucleusMeasurement"/>).
/// Sizes are in pixels (<c>area_px</c>, <c>perimeter_px</c>, ...) or, with a pixel size, in micrometres
/// (<c>area_um2</c>, <c>perimeter_um</c>, ...); centroid and bounding box stay in pixels so they locate the nucleus
/// in the label map. Intensity columns repeat per channel (<c>_ch1</c>, <c>_ch2</c>, ...) up to the most channels of any image;
/// an image with fewer channels leaves the others empty.
/// </summary>
public static class MeasurementsCsv
{
    public const string FileName = "measurements.csv";

    static readonly string[] IntensityStats = { "mean", "median", "min", "max", "std", "integrated" };

    /// <param name="images">image id and its nuclei, in the order to write</param>
    /// <param name="pixelSizeUm">micrometres per pixel, or null for pixel units</param>
    public static void Write(string path, IEnumerable<(string Image, IReadOnlyList<NucleusMeasurement> Nuclei)> images, double? pixelSizeUm)
    {
        var list = images.ToList();
        int channels = list.SelectMany(i => i.Nuclei).Select(m => m.Intensity.Count).DefaultIfEmpty(0).Max();
        var sb = new StringBuilder(Header(pixelSizeUm, channels)).Append('\n');
        foreach (var (image, nuclei) in list)
            foreach (var m in nuclei)
                AppendRow(sb, image, m, pixelSizeUm, channels);
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    public static string Header(double? pixelSizeUm, int channels)
    {
        string len = pixelSizeUm is null ? "_px" : "_um", area = pixelSizeUm is null ? "_px" : "_um2";
        var columns = new List<string>
        {
            "image", "label", "area" + area, "perimeter" + len, "centroid_x_px", "centroid_y_px",
            "bbox_x_px", "bbox_y_px", "bbox_width_px", "bbox_height_px", "equivalent_diameter" + len,
            "major_axis_length" + len, "minor_axis_length" + len, "orientation_rad", "eccentricity", "solidity",
            "extent", "circularity", "touches_border",
        };
        for (int c = 1; c <= channels; c++)
            columns.AddRange(IntensityStats.Select(s => $"intensity_{s}_ch{c}"));
        return string.Join(",", columns);
    }

    static void AppendRow(StringBuilder sb, string image, NucleusMeasurement m, double? pixelSizeUm, int channels)
    {
        double s = pixelSizeUm ?? 1;
        var cells = new List<string>
        {
            CsvLine.Escape(image), I(m.Label), pixelSizeUm is null ? I(m.Area) : F(m.Area * s * s), F(m.Perimeter * s),
            F(m.CentroidX), F(m.CentroidY), I(m.BoxX), I(m.BoxY), I(m.BoxWidth), I(m.BoxHeight),
            F(m.EquivalentDiameter * s), F(m.MajorAxisLength * s), F(m.MinorAxisLength * s), F(m.Orientation),
            F(m.Eccentricity), F(m.Solidity), F(m.Extent), F(m.Circularity), m.TouchesBorder ? "1" : "0",
        };
        for (int c = 0; c < channels; c++)
        {
            if (c < m.Intensity.Count)
            {
                var t = m.Intensity[c];
                cells.AddRange(new[] { F(t.Mean), F(t.Median), F(t.Min), F(t.Max), F(t.Std), F(t.Integrated) });
            }
            else cells.AddRange(Enumerable.Repeat("", IntensityStats.Length));
        }
        sb.AppendJoin(',', cells).Append('\n');
    }

    static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    static string F(double v) => v.ToString("G9", CultureInfo.InvariantCulture);
}
