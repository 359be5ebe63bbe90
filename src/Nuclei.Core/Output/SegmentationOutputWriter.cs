using System.Globalization;
using System.Text;
using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Measurements;
using Nuclei.Core.Metrics;
using Nuclei.Core.Report;
using Nuclei.Core.Rle;

namespace Nuclei.Core.Output;

/// <summary>
/// Writes what <c>nuclei segment</c> and <c>nuclei partition</c> produce, per image as it is done:
/// <c>DIR/&lt;id&gt;.png</c> (16-bit label map; <c>.tif</c> over 65535 nuclei) and <c>DIR/&lt;id&gt;.overlay.png</c>;
/// and at the end (<see cref="Finish"/>): <c>DIR/summary.csv</c> (image, nuclei, mean_area_px) and, when asked,
/// a Kaggle submission CSV. With <see cref="OutputOptions"/>: <c>DIR/measurements.csv</c> (one row per nucleus) and,
/// per image, <c>&lt;id&gt;.geojson</c>, <c>&lt;id&gt;.rois.zip</c> and <c>&lt;id&gt;.labels.tif</c>. Rows in the CSVs are sorted by image id (ordinal) so the output does not depend
/// on the order parallel workers finish. Given an image's truth, it scores the image (<see cref="Evaluations"/>); with
/// <see cref="OutputOptions.Report"/> it gathers <c>DIR/report.html</c> (see <see cref="ReportBuilder"/>), written by
/// <see cref="Finish"/>. Thread-safe; every file is written atomically.
/// </summary>
public sealed class SegmentationOutputWriter
{
    public const string SummaryFileName = "summary.csv";

    readonly object gate = new();
    readonly Dictionary<string, Done> done = new(StringComparer.Ordinal);

    /// <summary>What an image left for <see cref="Finish"/>: its summary row, RLE rows and measurements.</summary>
    sealed record Done(SegmentationSummaryRow Summary, List<string> RleRows, IReadOnlyList<NucleusMeasurement> Measurements, ImageEvaluation? Evaluation);

    public string OutputDir { get; }
    public string? SubmissionCsvPath { get; }
    public string SummaryPath => Path.Combine(OutputDir, SummaryFileName);
    public string MeasurementsPath => Path.Combine(OutputDir, MeasurementsCsv.FileName);
    public OutputOptions Options { get; }
    /// <summary>The report being gathered, when <see cref="OutputOptions.Report"/> asked for one.</summary>
    public ReportBuilder? Report { get; }

    /// <param name="runDescription">how the run was made, shown at the top of the report</param>
    public SegmentationOutputWriter(string outputDir, string? submissionCsvPath = null, OutputOptions? options = null, string runDescription = "")
    {
        Options = options ?? OutputOptions.Default;
        Options.Validate();
        OutputDir = Path.GetFullPath(outputDir);
        SubmissionCsvPath = submissionCsvPath is null ? null : Path.GetFullPath(submissionCsvPath);
        Directory.CreateDirectory(OutputDir);
        if (Options.Report)
            Report = new ReportBuilder(Path.Combine(OutputDir, ReportBuilder.FileName), $"Nuclei report: {Path.GetFileName(OutputDir)}", runDescription);
    }

    /// <summary>Writes the label map and overlay of one image and remembers its summary and RLE rows.</summary>
    /// <param name="seconds">how long the image took to segment, for the report</param>
    /// <param name="truth">the image's true labels: the image is scored against them</param>
    public SegmentationSummaryRow Write(string id, FloatImage image, LabelImage labels, double? seconds = null, LabelImage? truth = null)
    {
        if (image.Height != labels.Height || image.Width != labels.Width)
            throw new ArgumentException($"{id}: image is {image.Height}x{image.Width} but labels are {labels.Height}x{labels.Width}");
        lock (gate)
        {
            if (done.ContainsKey(id)) throw new InvalidOperationException($"image id '{id}' was written twice");
            done[id] = null!; // reserve the id while the files are written outside the lock
        }

        try
        {
            string labelsPath = ImageIO.WriteLabels(Path.Combine(OutputDir, id + ".png"), labels);
            string overlayPath = OverlayPath(id);
            using var overlay = OverlayPicture.Compose(image, labels, Options.Overlay ?? OverlayOptions.Default);
            ImageIO.WritePicture(overlayPath, overlay);
            var measurements = Options.Measure || Options.Exports.HasFlag(ExportFormat.GeoJson)
                ? RegionMeasurer.Measure(labels, image) : Array.Empty<NucleusMeasurement>();
            WriteExports(id, labels, measurements);

            var (count, area) = CountAndArea(labels);
            var row = new SegmentationSummaryRow(id, count, count == 0 ? 0 : (double)area / count, labelsPath, overlayPath);
            var rle = SubmissionCsvPath is null ? new List<string>() : SubmissionCsv.FormatRows(id, labels).ToList();
            var evaluation = truth is null ? null : ImageEvaluation.Of(id, truth, labels);
            if (Report is not null) AddToReport(id, image, labels, seconds, overlay, evaluation, truth);
            lock (gate) done[id] = new Done(row, rle, Options.Measure ? measurements : Array.Empty<NucleusMeasurement>(), evaluation);
            return row;
        }
        catch
        {
            lock (gate) done.Remove(id); // let a retry of this id go through
            throw;
        }
    }

    void AddToReport(string id, FloatImage image, LabelImage labels, double? seconds, OpenCvSharp.Mat overlay, ImageEvaluation? evaluation, LabelImage? truth)
    {
        Report!.Add(Report.Timed(() => new ReportImage(id, NucleusStatistics.Of(labels, image), seconds,
            Uri.EscapeDataString(Path.GetFileName(OverlayPath(id))), Thumbnail.DataUri(overlay), evaluation)));
        if (evaluation is not null)
            Report.OfferWorst(id, evaluation.Score.MeanAp, () => ErrorPicture.Render(image, truth!, labels, evaluation.Errors));
    }

    string OverlayPath(string id) => Path.Combine(OutputDir, id + InputOverlaySuffix + ".png");

    /// <summary>The evaluations of the images written with a truth, by image id.</summary>
    public IReadOnlyList<ImageEvaluation> Evaluations
    {
        get { lock (gate) return done.Values.Select(d => d?.Evaluation).OfType<ImageEvaluation>().OrderBy(e => e.Id, StringComparer.Ordinal).ToList(); }
    }

    /// <summary>The files of <see cref="OutputOptions.Exports"/> for one image.</summary>
    void WriteExports(string id, LabelImage labels, IReadOnlyList<NucleusMeasurement> measurements)
    {
        var exports = Options.Exports;
        if (exports.HasFlag(ExportFormat.Tiff))
            LabelTiff.Write(Path.Combine(OutputDir, id + LabelTiff.Extension), labels, Options.PixelSizeUm);
        if (!exports.HasFlag(ExportFormat.GeoJson) && !exports.HasFlag(ExportFormat.ImageJRoi)) return;
        var outlines = NucleusOutline.Of(labels);
        if (exports.HasFlag(ExportFormat.GeoJson))
            QuPathGeoJson.Write(Path.Combine(OutputDir, id + QuPathGeoJson.Extension), outlines,
                measurements.ToDictionary(m => m.Label), Options.PixelSizeUm);
        if (exports.HasFlag(ExportFormat.ImageJRoi))
            ImageJRoiZip.Write(Path.Combine(OutputDir, id + ImageJRoiZip.Extension), outlines);
    }

    /// <summary>
    /// Writes summary.csv, measurements.csv, the submission CSV and report.html (those asked for) for every image written
    /// so far; <paramref name="failures"/> are the batch's failed items, for the report. Returns the report written, if any.
    /// </summary>
    public RunReport? Finish(IReadOnlyList<ReportFailure>? failures = null)
    {
        List<Done> rows;
        lock (gate)
            rows = done.Where(kv => kv.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();

        var sb = new StringBuilder("image,nuclei,mean_area_px\n");
        foreach (var s in rows.Select(r => r.Summary))
            sb.Append(CsvLine.Escape(s.Image)).Append(',').Append(s.Nuclei).Append(',')
              .Append(s.MeanAreaPx.ToString("F1", CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteAllText(SummaryPath, sb.ToString());
        if (Options.Measure)
            MeasurementsCsv.Write(MeasurementsPath, rows.Select(r => (r.Summary.Image, r.Measurements)), Options.PixelSizeUm);

        if (SubmissionCsvPath is not null)
            SubmissionCsv.WriteRows(SubmissionCsvPath, rows.SelectMany(r => r.RleRows));
        return Report?.Write(failures ?? Array.Empty<ReportFailure>());
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
