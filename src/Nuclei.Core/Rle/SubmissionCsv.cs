using System.Globalization;
using System.Text;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;

namespace Nuclei.Core.Rle;

/// <summary>
/// Kaggle DSB2018 CSVs. Submission: header <c>ImageId,EncodedPixels</c>, one row per object, and one row with an
/// empty EncodedPixels for an image with no objects. Solution: <c>ImageId,EncodedPixels,Height,Width[,...]</c>
/// (extra columns such as Usage are ignored). Columns are found by name, in any order.
/// </summary>
public static class SubmissionCsv
{
    public const string Header = "ImageId,EncodedPixels";

    /// <summary>The rows for one image: one per label in ascending order, or a single empty row when there are none.</summary>
    public static IEnumerable<string> FormatRows(string imageId, LabelImage labels)
    {
        var encoded = RunLength.EncodeAll(labels);
        if (encoded.Count == 0) return new[] { CsvLine.Escape(imageId) + "," };
        return encoded.Values.Select(rle => CsvLine.Escape(imageId) + "," + rle);
    }

    /// <summary>Writes a submission CSV atomically from label maps, in the order given.</summary>
    public static void Write(string path, IEnumerable<(string ImageId, LabelImage Labels)> images) =>
        WriteRows(path, images.SelectMany(i => FormatRows(i.ImageId, i.Labels)));

    /// <summary>Writes a submission CSV atomically from already formatted rows (see <see cref="FormatRows"/>) under <paramref name="header"/> (default <see cref="Header"/>).</summary>
    public static void WriteRows(string path, IEnumerable<string> rows, string header = Header)
    {
        var sb = new StringBuilder(header).Append('\n');
        foreach (string row in rows) sb.Append(row).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Reads a submission CSV (ImageId and EncodedPixels columns required).</summary>
    public static IReadOnlyList<RleRow> Read(string path) => ReadRows(path, requireSize: false);

    /// <summary>Reads a solution-style CSV (ImageId, EncodedPixels, Height and Width columns required).</summary>
    public static IReadOnlyList<RleRow> ReadSolution(string path) => ReadRows(path, requireSize: true);

    /// <summary>Groups rows by image id, images in first-seen order; checks that an image's Height/Width agree.</summary>
    public static IReadOnlyList<RleImage> GroupByImage(IReadOnlyList<RleRow> rows)
    {
        var order = new List<string>();
        var groups = new Dictionary<string, List<RleRow>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!groups.TryGetValue(row.ImageId, out var list))
            {
                groups[row.ImageId] = list = new List<RleRow>();
                order.Add(row.ImageId);
            }
            else if (list[0].Height != row.Height || list[0].Width != row.Width)
                throw new NucleiInputException(row.Source,
                    $"image {row.ImageId} is {row.Height}x{row.Width} here but {list[0].Height}x{list[0].Width} at {list[0].Source}");
            list.Add(row);
        }
        return order.Select(id => new RleImage(id, groups[id])).ToList();
    }

    static IReadOnlyList<RleRow> ReadRows(string path, bool requireSize)
    {
        if (!File.Exists(path)) throw new NucleiInputException(path, "CSV file not found");
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null) throw new NucleiInputException(path, "CSV file is empty (expected a header line)");
        var names = CsvLine.Split(header.TrimStart('\uFEFF')).Select(n => n.Trim()).ToList();
        int Column(string name) => names.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var required = requireSize ? new[] { "ImageId", "EncodedPixels", "Height", "Width" } : new[] { "ImageId", "EncodedPixels" };
        var missing = required.Where(n => Column(n) < 0).ToList();
        if (missing.Count > 0)
            throw new NucleiInputException(path + ":1",
                $"missing column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}; the header is '{header}', expected {string.Join(",", required)}");
        int idCol = Column("ImageId"), rleCol = Column("EncodedPixels");
        int hCol = Column("Height"), wCol = Column("Width");
        int needed = new[] { idCol, rleCol, requireSize ? hCol : -1, requireSize ? wCol : -1 }.Max() + 1;

        var rows = new List<RleRow>();
        int lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            string source = $"{path}:{lineNo}";
            var f = CsvLine.Split(line);
            if (f.Count < needed)
                throw new NucleiInputException(source, $"row has {f.Count} fields, expected at least {needed} (columns {header})");
            string id = f[idCol].Trim();
            if (id.Length == 0) throw new NucleiInputException(source, "empty ImageId");
            int? height = null, width = null;
            if (requireSize)
            {
                height = ParseSize(f[hCol], "Height", source);
                width = ParseSize(f[wCol], "Width", source);
            }
            rows.Add(new RleRow(id, f[rleCol].Trim(), source, height, width));
        }
        return rows;
    }

    static int ParseSize(string text, string what, string source)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v <= 0)
            throw new NucleiInputException(source, $"{what} '{text}' is not a positive whole number");
        return v;
    }
}
