using Nuclei.Core.IO;

namespace Nuclei.Core.Data.Describing;

/// <summary>
/// Writes the categorised dataset CSV that <c>train</c> reads through <c>[dataset] csv_file</c>:
/// <c>image_id,source,major_category,sub_category</c> with source = the dataset folder's name, major_category = the
/// kind, sub_category = the acquisition (kind and size); then height, width, nuclei and median nucleus area.
/// </summary>
internal static class CategoryCsv
{
    public const string Header = "image_id,source,major_category,sub_category,height,width,nuclei,median_area";

    public static void Write(string path, string source, IEnumerable<ImageFacts> images)
    {
        var rows = images.OrderBy(f => f.Id, StringComparer.Ordinal).Select(f => new object?[]
        {
            f.Id, source, f.Kind, f.Acquisition, f.Height, f.Width, f.NucleusAreas.Length,
            Math.Round(Percentile.Of(f.NucleusAreas, 0.5), 1),
        });
        CsvTable.Write(path, Header.Split(','), rows);
    }
}
