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
internal static class SubmissionCsv
{
    public const string Header = "ImageId,EncodedPixels";

    /// <summary>The run-length strings of one image: one per label in ascending order, or a single empty one when there are none.</summary>
    public static IReadOnlyList<string> EncodedPixels(LabelImage labels)
    {
        var encoded = RunLength.EncodeAll(labels);
        return encoded.Count == 0 ? new[] { "" } : encoded.Values.ToList();
    }

    /// <summary>Writes a submission CSV atomically from label maps, in the order given.</summary>
    public static void Write(string path, IEnumerable<(string ImageId, LabelImage Labels)> images) =>
        WriteRows(path, images.SelectMany(i => EncodedPixels(i.Labels).Select(rle => (i.ImageId, rle))));

    /// <summary>Writes a submission CSV atomically from (image id, run-length string) rows (see <see cref="EncodedPixels"/>).</summary>
    public static void WriteRows(string path, IEnumerable<(string ImageId, string EncodedPixels)> rows) =>
        AtomicFile.WriteAllText(path, Format(rows));

    /// <summary>The CSV text of (image id, run-length string) rows, header first.</summary>
    public static string Format(IEnumerable<(string ImageId, string EncodedPixels)> rows) =>
        CsvTable.Format(Header.Split(','), rows.Select(r => new[] { r.ImageId, r.EncodedPixels }));

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
        RegularFile.Require(path, "CSV file");
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
            string id = CsvTable.ReadText(f[idCol].Trim());
            if (id.Length == 0) throw new NucleiInputException(source, "empty ImageId");
            int? height = null, width = null;
            if (requireSize)
            {
                height = ParseSize(f[hCol], "Height", source);
                width = ParseSize(f[wCol], "Width", source);
                CheckArea(height.Value, width.Value, source);
            }
            rows.Add(new RleRow(id, f[rleCol].Trim(), source, height, width));
        }
        return rows;
    }

    static int ParseSize(string text, string what, string source)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v <= 0)
            throw new NucleiInputException(source, $"{what} '{RunLength.Shorten(text)}' is not a positive whole number");
        if (v > RunLength.MaxSide)
            throw new NucleiInputException(source, $"{what} {v} is larger than the {RunLength.MaxSide} pixels an image side may have");
        return v;
    }

    /// <summary>Height x Width within <see cref="RunLength.MaxPixels"/>, so the label map can be allocated.</summary>
    static void CheckArea(int height, int width, string source)
    {
        if ((long)height * width > RunLength.MaxPixels)
            throw new NucleiInputException(source, $"image of {height}x{width} = {(long)height * width} pixels is larger than the {RunLength.MaxPixels} pixels supported");
    }
}
