using Nuclei.Core.IO;

namespace Nuclei.Core.Measurements;

/// <summary>
/// <c>measurements.csv</c>: one row per nucleus, <c>image,label</c> and then the columns of <see cref="MeasurementColumns"/>,
/// intensity columns up to the most channels of any image (an image with fewer channels leaves the others empty).
/// Written through <see cref="CsvTable"/> (image ids quoted and disarmed; numbers as numbers).
/// </summary>
internal static class MeasurementsCsv
{
    public const string FileName = "measurements.csv";

    /// <summary>Writes the file atomically; see <see cref="Format"/>.</summary>
    public static void Write(string path, IEnumerable<(string Image, IReadOnlyList<NucleusMeasurement> Nuclei)> images, double? pixelSizeUm) =>
        AtomicFile.WriteAllText(path, Format(images, pixelSizeUm));

    /// <param name="images">image id and its nuclei, in the order to write</param>
    /// <param name="pixelSizeUm">micrometres per pixel, or null for pixel units</param>
    public static string Format(IEnumerable<(string Image, IReadOnlyList<NucleusMeasurement> Nuclei)> images, double? pixelSizeUm)
    {
        var list = images.ToList();
        int channels = list.SelectMany(i => i.Nuclei).Select(m => m.Intensity.Count).DefaultIfEmpty(0).Max();
        var header = new[] { "image", "label" }.Concat(MeasurementColumns.Names(pixelSizeUm, channels)).ToList();
        var rows = list.SelectMany(i => i.Nuclei.Select(m => (IReadOnlyList<object?>)
            new object?[] { i.Image, m.Label }.Concat(MeasurementColumns.Values(m, pixelSizeUm, channels).Select(c => (object?)c.Value)).ToList()));
        return CsvTable.Format(header, rows);
    }
}
