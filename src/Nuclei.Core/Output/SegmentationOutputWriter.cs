using System.Globalization;
using System.Text;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Rle;

namespace Nuclei.Core.Output;

/// <summary>
/// Writes what <c>nuclei segment</c> and <c>nuclei partition</c> produce, per image as it is done:
/// <c>DIR/&lt;id&gt;.png</c> (16-bit label map; <c>.tif</c> over 65535 nuclei) and <c>DIR/&lt;id&gt;.overlay.png</c>;
/// and at the end (<see cref="Finish"/>): <c>DIR/summary.csv</c> (image, nuclei, mean_area_px) and, when asked,
/// a Kaggle submission CSV. Rows in both CSVs are sorted by image id (ordinal) so the output does not depend
/// on the order parallel workers finish. Thread-safe; every file is written atomically.
/// </summary>
public sealed class SegmentationOutputWriter
{
    public const string SummaryFileName = "summary.csv";

    readonly object gate = new();
    readonly Dictionary<string, (SegmentationSummaryRow Summary, List<string> RleRows)> done = new(StringComparer.Ordinal);

    public string OutputDir { get; }
    public string? SubmissionCsvPath { get; }
    public string SummaryPath => Path.Combine(OutputDir, SummaryFileName);

    public SegmentationOutputWriter(string outputDir, string? submissionCsvPath = null)
    {
        OutputDir = Path.GetFullPath(outputDir);
        SubmissionCsvPath = submissionCsvPath is null ? null : Path.GetFullPath(submissionCsvPath);
        Directory.CreateDirectory(OutputDir);
    }

    /// <summary>Writes the label map and overlay of one image and remembers its summary and RLE rows.</summary>
    public SegmentationSummaryRow Write(string id, FloatImage image, LabelImage labels)
    {
        if (image.Height != labels.Height || image.Width != labels.Width)
            throw new ArgumentException($"{id}: image is {image.Height}x{image.Width} but labels are {labels.Height}x{labels.Width}");
        lock (gate)
        {
            if (done.ContainsKey(id)) throw new InvalidOperationException($"image id '{id}' was written twice");
            done[id] = default; // reserve the id while the files are written outside the lock
        }

        try
        {
            string labelsPath = ImageIO.WriteLabels(Path.Combine(OutputDir, id + ".png"), labels);
            string overlayPath = Path.Combine(OutputDir, id + InputOverlaySuffix + ".png");
            ImageIO.WriteOverlay(overlayPath, image, labels);

            var (count, area) = CountAndArea(labels);
            var row = new SegmentationSummaryRow(id, count, count == 0 ? 0 : (double)area / count, labelsPath, overlayPath);
            var rle = SubmissionCsvPath is null ? new List<string>() : SubmissionCsv.FormatRows(id, labels).ToList();
            lock (gate) done[id] = (row, rle);
            return row;
        }
        catch
        {
            lock (gate) done.Remove(id); // let a retry of this id go through
            throw;
        }
    }

    /// <summary>Writes summary.csv and the submission CSV (if asked) for every image written so far.</summary>
    public void Finish()
    {
        List<(SegmentationSummaryRow Summary, List<string> RleRows)> rows;
        lock (gate)
            rows = done.Where(kv => kv.Value.Summary is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();

        var sb = new StringBuilder("image,nuclei,mean_area_px\n");
        foreach (var (s, _) in rows)
            sb.Append(CsvLine.Escape(s.Image)).Append(',').Append(s.Nuclei).Append(',')
              .Append(s.MeanAreaPx.ToString("F1", CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteAllText(SummaryPath, sb.ToString());

        if (SubmissionCsvPath is not null)
            SubmissionCsv.WriteRows(SubmissionCsvPath, rows.SelectMany(r => r.RleRows));
    }

    const string InputOverlaySuffix = Data.InputCollector.OverlaySuffix;

    /// <summary>Number of distinct nonzero labels and their total area in pixels.</summary>
    static (int Count, long Area) CountAndArea(LabelImage labels)
    {
        var seen = new HashSet<int>();
        long area = 0;
        int last = 0;
        foreach (int v in labels.Data)
        {
            if (v == 0) continue;
            area++;
            if (v != last) { seen.Add(v); last = v; }
        }
        return (seen.Count, area);
    }
}
