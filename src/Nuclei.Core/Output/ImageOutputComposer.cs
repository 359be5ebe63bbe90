using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;
using Nuclei.Core.Metrics;
using Nuclei.Core.Report;
using Nuclei.Core.Rle;

namespace Nuclei.Core.Output;

/// <summary>One image's files, encoded in memory, and the record that lists them (what <see cref="ImageOutputComposer"/> makes).</summary>
/// <param name="Files">the label map first, the overlay second, then the exports, extra files and error picture</param>
/// <param name="Evaluation">the image's score against its truth, when it has one</param>
internal sealed record ComposedImage(List<(string Name, byte[] Bytes)> Files, ImageRecord Record, ImageEvaluation? Evaluation);

/// <summary>
/// What files one image gets: its label map, overlay, the exports of <see cref="OutputOptions.Exports"/> (from
/// <see cref="ExportFormats.All"/>), its measurements and, with a report, what the report shows of it (with a truth, the
/// picture of its errors among its files). Writes nothing: <see cref="ImageRecordJournal.Commit"/> does.
/// </summary>
internal sealed class ImageOutputComposer(OutputOptions options, OutputLayout layout, ReportBuilder? report)
{
    /// <param name="extraFiles">files to commit with the image (names relative to the output folder, e.g. probability maps)</param>
    /// <param name="seconds">how long the image took to segment, for the report</param>
    /// <param name="truth">the image's true labels: the image is scored against them</param>
    /// <param name="segmentation">how the image was segmented, for the report</param>
    public ComposedImage Compose(string id, FloatImage image, LabelImage labels, IReadOnlyList<(string Name, byte[] Bytes)>? extraFiles,
        double? seconds, LabelImage? truth, ImageSegmentation? segmentation)
    {
        using var overlay = OverlayPicture.Compose(image, labels, options.Overlay ?? OverlayOptions.Default);
        var files = new List<(string Name, byte[] Bytes)>
        {
            LabelMap(id, labels),
            (OutputLayout.OverlayFileName(id), ImageIO.EncodePicture(overlay, ".png")),
        };
        var measurements = options.Measure || ExportFormats.Of(options.Exports).Any(e => e.NeedsMeasurements)
            ? RegionMeasurer.Measure(labels, image) : null;
        files.AddRange(Exports(id, labels, measurements).Where(e => e.Name != files[0].Name)); // a .labels.tif map is the TIFF export
        if (extraFiles is not null) files.AddRange(extraFiles);
        var (count, area) = CountAndArea(labels);
        var evaluation = truth is null ? null : ImageEvaluation.Of(id, truth, labels);
        var facts = report is null ? null : ReportFactsOf(id, image, labels, seconds, overlay, truth, evaluation, files, segmentation);
        var record = new ImageRecord(id, count, count == 0 ? 0 : (double)area / count, SubmissionCsv.EncodedPixels(labels),
            files.Select(f => new RecordedFile(f.Name, f.Bytes.Length)).ToList(),
            Measurements: options.Measure ? measurements : null, Report: facts);
        return new ComposedImage(files, record, evaluation);
    }

    /// <summary>
    /// What the report shows of this image, timed as report work; with a truth, also adds the picture of its errors
    /// to <paramref name="files"/> (so it is committed with the image's other files).
    /// </summary>
    ReportFacts ReportFactsOf(string id, FloatImage image, LabelImage labels, double? seconds, OpenCvSharp.Mat overlay,
        LabelImage? truth, ImageEvaluation? evaluation, List<(string Name, byte[] Bytes)> files, ImageSegmentation? segmentation) => report!.Timed(() =>
    {
        if (evaluation is not null)
        {
            using var picture = ErrorPicture.Render(image, truth!, labels, evaluation.Errors);
            files.Add((layout.ErrorPictureName(id), ImageIO.EncodePicture(picture, ".png")));
        }
        return new ReportFacts(NucleusStatistics.Of(labels, image), Thumbnail.DataUri(overlay), seconds, evaluation, segmentation);
    });

    /// <summary>A 16-bit PNG, or over 65535 nuclei the (32-bit) label TIFF.</summary>
    (string Name, byte[] Bytes) LabelMap(string id, LabelImage labels) =>
        labels.MaxLabel() <= ushort.MaxValue
            ? (OutputLayout.LabelsFileName(id), ImageIO.EncodeLabels(labels, ".png").Bytes)
            : (OutputLayout.LabelsFileName(id, ".tif"), LabelTiff.Encode(labels, options.PixelSizeUm));

    /// <summary>The files of <see cref="OutputOptions.Exports"/> for one image, encoded in memory.</summary>
    IEnumerable<(string Name, byte[] Bytes)> Exports(string id, LabelImage labels, IReadOnlyList<NucleusMeasurement>? measurements)
    {
        var exported = new ExportedImage(labels, options.PixelSizeUm, measurements);
        return ExportFormats.Of(options.Exports).Select(e => (id + e.Suffix, e.EncodeFile(exported))).ToList();
    }

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
