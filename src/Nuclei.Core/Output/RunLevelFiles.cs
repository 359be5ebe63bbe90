using System.Globalization;
using Nuclei.Core.IO;
using Nuclei.Core.Measurements;
using Nuclei.Core.Report;
using Nuclei.Core.Rle;

namespace Nuclei.Core.Output;

/// <summary>
/// The files of an output folder as a whole: the checks before the first image (the folders are writable, stale
/// temporaries of a killed run are cleaned up, no input and no foreign label map would be replaced), and at the end
/// summary.csv (image, nuclei, mean_area_px), measurements.csv, the submission CSV and report.html, rebuilt from every
/// image record in the folder under a folder lock, so they hold each image whose outputs exist exactly once, across
/// killed, repeated and concurrent runs. Rows are sorted by image id (ordinal).
/// </summary>
internal sealed class RunLevelFiles
{
    static readonly string[] SummaryHeader = ["image", "nuclei", "mean_area_px"];

    readonly OutputLayout layout;
    readonly OutputOptions options;
    readonly ImageRecords records;
    readonly ReportBuilder? report;
    readonly Func<string, Stream>? createFile;

    public RunLevelFiles(OutputLayout layout, OutputOptions options, ImageRecords records, ReportBuilder? report, Func<string, Stream>? createFile)
    {
        this.layout = layout;
        this.options = options;
        this.records = records;
        this.report = report;
        this.createFile = createFile;
    }

    /// <inheritdoc cref="SegmentationOutputWriter.RefusedRecords"/>
    public IReadOnlyList<NucleiInputException> RefusedRecords { get; private set; } = [];

    /// <summary>
    /// Before anything is written: creates the folders the run writes into, fails now if one cannot be written, and
    /// removes the temporaries a killed run left in the output folder.
    /// </summary>
    /// <exception cref="NucleiInputException">a folder cannot be created or written.</exception>
    public static void Prepare(string outputDir, string? submissionCsvPath)
    {
        EnsureWritable(outputDir);
        if (submissionCsvPath is not null) EnsureWritable(Path.GetDirectoryName(submissionCsvPath)!);
        TemporaryFiles.RemoveStale(outputDir, recursive: true);
    }

    /// <summary>Creates the folder and writes (then removes) a small file, so an unwritable folder fails before the first image.</summary>
    static void EnsureWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new StagedFiles();
            probe.Stage(Path.Combine(folder, ".nuclei-write-test"), [1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NucleiInputException(folder, $"cannot write into this folder: {e.Message}");
        }
    }

    /// <summary>
    /// Before the first image: refuses a run whose outputs (those of <see cref="OutputLayout.PlannedOutputs"/> plus
    /// <paramref name="extraOutputs"/>) would replace one of its <paramref name="inputs"/>, or a label map no nuclei run wrote.
    /// </summary>
    /// <exception cref="NucleiInputException">names the file(s); nothing has been written.</exception>
    public void EnsureNothingForeignIsReplaced(IEnumerable<string> inputs, IReadOnlyCollection<string> ids, IEnumerable<string>? extraOutputs)
    {
        InputGuard.EnsureNoOverwrite(inputs, layout.PlannedOutputs(ids).Concat(extraOutputs ?? []));
        EnsureNoForeignLabelMaps(ids);
    }

    /// <summary>
    /// A label map in the output folder that no nuclei run wrote (it has no record), such as the annotation
    /// <c>&lt;id&gt;.labels.png</c> of a labelled dataset folder given as --out, is never replaced.
    /// </summary>
    void EnsureNoForeignLabelMaps(IEnumerable<string> ids)
    {
        foreach (string id in ids)
            foreach (string ext in new[] { ".png", ".tif" })
            {
                string path = Path.Combine(layout.OutputDir, OutputLayout.LabelsFileName(id, ext));
                if (File.Exists(path) && records.Read(id) is null)
                    throw new NucleiInputException(path,
                        "exists and was not written by nuclei (an annotation?); it would be replaced by the label map of " +
                        $"image '{id}'. Choose another --out or move the file; nothing was written");
            }
    }

    /// <summary>
    /// Rebuilds summary.csv, measurements.csv (with <see cref="OutputOptions.Measure"/>: the nuclei of every record
    /// that holds measurements, in this run's units) and the submission CSV (if asked) from every complete image record
    /// in the output folder: this run's images and those of earlier or concurrent runs into it. Under the folder lock,
    /// so the run that finishes last writes files that hold everyone's rows. With a report, then writes
    /// report.html the same way, from every record that holds report facts; <paramref name="failures"/> are this run's
    /// failed items, for the report. Returns the report written, if any.
    /// </summary>
    public RunReport? Finish(IReadOnlyList<ReportFailure>? failures)
    {
        using var folderLock = FolderLock.Acquire(layout.OutputDir);
        var refused = new List<NucleiInputException>();
        var all = records.ReadAll(refused);
        RefusedRecords = refused;
        WriteText(layout.SummaryPath, CsvTable.Format(SummaryHeader, all.Select(r => new[]
        {
            r.Image, r.Nuclei.ToString(CultureInfo.InvariantCulture), r.MeanAreaPx.ToString("F1", CultureInfo.InvariantCulture),
        })));
        if (options.Measure)
            WriteText(layout.MeasurementsPath, MeasurementsCsv.Format(
                all.Where(r => r.Measurements is not null).Select(r => (r.Image, r.Measurements!)), options.PixelSizeUm));
        if (layout.SubmissionCsvPath is not null)
            WriteText(layout.SubmissionCsvPath, SubmissionCsv.Format(all.SelectMany(r => r.EncodedPixels.Select(rle => (r.Image, rle)))));
        return report?.Timed(() =>
        {
            var written = FolderReport.Of(report, layout.OutputDir, all, failures ?? []);
            WriteText(report.HtmlPath, HtmlReport.Render(written));
            return written;
        });
    }

    void WriteText(string path, string text) => AtomicFile.WriteAllText(path, text, createFile);
}
