using System.Globalization;
using System.Text;
using Nuclei.Core.IO;
using Nuclei.Core.Rle;

namespace Nuclei.Core.Measurements;

/// <summary>
/// <c>measurements.csv</c>: one row per nucleus, <c>image,label</c> and then the columns of <see cref="MeasurementColumns"/>,
/// intensity columns up to the most channels of any image (an image with fewer channels leaves the others empty).
/// </summary>
public static class MeasurementsCsv
{
    public const string FileName = "measurements.csv";

    /// <param name="images">image id and its nuclei, in the order to write</param>
    /// <param name="pixelSizeUm">micrometres per pixel, or null for pixel units</param>
    public static void Write(string path, IEnumerable<(string Image, IReadOnlyList<NucleusMeasurement> Nuclei)> images, double? pixelSizeUm)
    {
        var list = images.ToList();
        int channels = list.SelectMany(i => i.Nuclei).Select(m => m.Intensity.Count).DefaultIfEmpty(0).Max();
        var sb = new StringBuilder("image,label,").AppendJoin(',', MeasurementColumns.Names(pixelSizeUm, channels)).Append('\n');
        foreach (var (image, nuclei) in list)
            foreach (var m in nuclei)
            {
                sb.Append(CsvLine.Escape(image)).Append(',').Append(m.Label.ToString(CultureInfo.InvariantCulture));
                foreach (var (_, value) in MeasurementColumns.Values(m, pixelSizeUm, channels))
                    sb.Append(',').Append(value?.ToString("G9", CultureInfo.InvariantCulture));
                sb.Append('\n');
            }
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}
