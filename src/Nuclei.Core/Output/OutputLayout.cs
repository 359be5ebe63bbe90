using System.Text;
using Nuclei.Core.Data;
using Nuclei.Core.IO;
using Nuclei.Core.Measurements;
using Nuclei.Core.Report;

namespace Nuclei.Core.Output;

/// <summary>
/// Where an output folder's files go: the names of an image's outputs (<c>&lt;id&gt;.labels.png</c>, the 16-bit label map,
/// whose <c>.labels</c> suffix means it can never replace an input image and every folder scan skips it as an input;
/// <c>&lt;id&gt;.labels.tif</c>; <c>&lt;id&gt;.overlay.png</c>; the exports; the report's error picture; the record) and of the
/// run-level files, and the rules an id must meet to name them.
/// </summary>
internal sealed class OutputLayout
{
    public const string SummaryFileName = "summary.csv";
    public const string LabelsSuffix = DsbDataset.LabelsSuffix;
    public const string OverlaySuffix = InputCollector.OverlaySuffix;

    readonly OutputOptions options;
    readonly ImageRecords records;
    readonly ReportBuilder? report;

    /// <param name="report">the report being gathered, if any: its page and error pictures are outputs too</param>
    public OutputLayout(string outputDir, string? submissionCsvPath, OutputOptions options, ImageRecords records, ReportBuilder? report)
    {
        OutputDir = outputDir;
        SubmissionCsvPath = submissionCsvPath;
        this.options = options;
        this.records = records;
        this.report = report;
    }

    public string OutputDir { get; }
    public string? SubmissionCsvPath { get; }
    public string SummaryPath => Path.Combine(OutputDir, SummaryFileName);
    public string MeasurementsPath => Path.Combine(OutputDir, MeasurementsCsv.FileName);

    /// <summary>An id names files inside the output folder (see <see cref="OutputNames"/> for the rule).</summary>
    public static bool IsValidId(string id) => OutputNames.ProblemOf(id) is null;

    /// <exception cref="NucleiInputException">the id breaks the rule of <see cref="OutputNames"/> (the message says how).</exception>
    public static void RequireValidId(string id)
    {
        if (OutputNames.ProblemOf(id) is { } problem)
            throw new NucleiInputException(null, $"image id '{UntrustedText.Clean(id, 300)}' cannot name an output file: it {problem}");
    }

    public static string LabelsFileName(string id, string extension = ".png") => id + LabelsSuffix + extension;
    public static string OverlayFileName(string id) => id + OverlaySuffix + ".png";

    /// <summary>The names of the per-image files <see cref="OutputOptions.Exports"/> asks for.</summary>
    public IEnumerable<string> ExportFileNames(string id) => ExportFormats.Of(options.Exports).Select(e => id + e.Suffix);

    /// <summary>The picture of an image's errors against its truth, relative to the output folder (with a report).</summary>
    public string ErrorPictureName(string id) => report!.AssetsFolderName + "/" + id + ReportBuilder.ErrorPictureSuffix;

    /// <summary>Every path a run over <paramref name="ids"/> may write (for the check that no input is among them).</summary>
    public IEnumerable<string> PlannedOutputs(IEnumerable<string> ids)
    {
        yield return SummaryPath;
        if (options.Measure) yield return MeasurementsPath;
        yield return Path.Combine(OutputDir, FolderLock.FileName);
        yield return RunRecordFile.PathIn(OutputDir);
        if (SubmissionCsvPath is not null) yield return SubmissionCsvPath;
        if (report is not null) yield return report.HtmlPath;
        foreach (string path in ids.SelectMany(OutputsOf)) yield return path;
    }

    /// <summary>Every path the writer may write for the image <paramref name="id"/>.</summary>
    IEnumerable<string> OutputsOf(string id)
    {
        yield return Path.Combine(OutputDir, LabelsFileName(id));
        yield return Path.Combine(OutputDir, LabelsFileName(id, ".tif"));
        yield return Path.Combine(OutputDir, OverlayFileName(id));
        foreach (string name in ExportFileNames(id)) yield return Path.Combine(OutputDir, name);
        if (report is not null) yield return Path.Combine(OutputDir, ErrorPictureName(id));
        yield return records.PathOf(id);
    }

    /// <summary>
    /// Refuses an image whose outputs would have a file name longer than file systems allow (an id of about 240 bytes
    /// or more), before any work on it: the operating system would refuse the name only when the files are renamed
    /// into place, and its message names neither the image nor the fix.
    /// </summary>
    /// <param name="source">the image's file, which the message names (null: the id)</param>
    /// <exception cref="NucleiInputException">an output's name is over <see cref="TemporaryFiles.MaxNameBytes"/> bytes</exception>
    public void RequireNamesFit(string id, string? source)
    {
        string longest = OutputsOf(id).Select(Path.GetFileName).MaxBy(n => Encoding.UTF8.GetByteCount(n!))!;
        int bytes = Encoding.UTF8.GetByteCount(longest), over = bytes - TemporaryFiles.MaxNameBytes;
        if (over <= 0) return;
        int idBytes = Encoding.UTF8.GetByteCount(Path.GetFileName(id));
        string suffix = longest[Path.GetFileName(id).Length..];
        throw new NucleiInputException(source ?? $"image id '{UntrustedText.Clean(id, 300)}'",
            $"its output <name>{suffix} would have a file name of {bytes} bytes, over the limit of {TemporaryFiles.MaxNameBytes} " +
            $"that file systems allow; rename it to at most {idBytes - over} bytes before the extension");
    }
}
