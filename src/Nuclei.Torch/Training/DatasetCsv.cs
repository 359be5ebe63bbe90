using Nuclei.Core;

namespace Nuclei.Torch.Training;

/// <summary>
/// samuelschen/DSB2018's dataset.csv: one row per image with its <c>source</c>, <c>major_category</c> and
/// <c>sub_category</c>. Used for white-list filters and for balancing groups. The image id column is the
/// first of <c>image_id</c>, <c>id</c>, <c>ImageId</c> present (else the first column).
/// </summary>
internal sealed class DatasetCsv
{
    readonly Dictionary<string, Dictionary<string, string>> _rows;

    DatasetCsv(Dictionary<string, Dictionary<string, string>> rows) => _rows = rows;

    public static DatasetCsv Load(string path)
    {
        Nuclei.Core.IO.RegularFile.Require(path, "dataset CSV");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new NucleiInputException(path, "dataset CSV is empty");
        var header = SplitLine(lines[0]);
        int idCol = Array.FindIndex(header, h => h.Equals("image_id", StringComparison.OrdinalIgnoreCase) || h.Equals("id", StringComparison.OrdinalIgnoreCase) || h.Equals("imageid", StringComparison.OrdinalIgnoreCase));
        if (idCol < 0) idCol = 0;
        var rows = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var cells = SplitLine(lines[i]);
            if (cells.Length != header.Length)
                throw new NucleiInputException($"{path}:{i + 1}", $"{cells.Length} columns, the header has {header.Length}");
            var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int c = 0; c < header.Length; c++) row[header[c]] = cells[c];
            rows[cells[idCol]] = row;
        }
        return new DatasetCsv(rows);
    }

    /// <summary>The value of <paramref name="column"/> for an image, or null when the image or column is not in the CSV.</summary>
    public string? Get(string imageId, string column) =>
        _rows.TryGetValue(imageId, out var row) && row.TryGetValue(column, out var v) ? v : null;

    /// <summary>True when every non-empty white-list (column → allowed values) admits the image.</summary>
    public bool Admits(string imageId, IReadOnlyDictionary<string, string[]> whiteLists) =>
        whiteLists.All(w => w.Value.Length == 0 || (Get(imageId, w.Key) is string v && w.Value.Contains(v, StringComparer.OrdinalIgnoreCase)));

    // Quoted fields as RFC 4180 writes them, and the formula escape of our own CSVs undone.
    static string[] SplitLine(string line) =>
        Nuclei.Core.Rle.CsvLine.Split(line).Select(s => Nuclei.Core.IO.CsvTable.ReadText(s.Trim())).ToArray();
}
