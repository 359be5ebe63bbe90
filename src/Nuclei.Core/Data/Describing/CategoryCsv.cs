using System.Globalization;
using System.Text;
using Nuclei.Core.IO;

namespace Nuclei.Core.Data.Describing;

/// <summary>
/// Writes the categorised dataset CSV that <c>train</c> reads through <c>[dataset] csv_file</c>:
/// <c>image_id,source,major_category,sub_category</c> with source = the dataset folder's name, major_category = the
/// kind, sub_category = the acquisition (kind and size); then height, width, nuclei and median nucleus area.
/// </summary>
public static class CategoryCsv
{
    public const string Header = "image_id,source,major_category,sub_category,height,width,nuclei,median_area";

    public static void Write(string path, string source, IEnumerable<ImageFacts> images)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var f in images.OrderBy(f => f.Id, StringComparer.Ordinal))
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{f.Id},{source.Replace(',', '_')},{f.Kind},{f.Acquisition},{f.Height},{f.Width},{f.NucleusAreas.Length},{Percentile.Of(f.NucleusAreas, 0.5):0.#}\n"));
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}
