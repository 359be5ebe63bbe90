using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Core.Report;

namespace Nuclei.Core.Output;

/// <summary>
/// Writes what <c>nuclei segment</c> and <c>nuclei partition</c> produce, per image as it is done:
/// <c>DIR/&lt;id&gt;.labels.png</c> (16-bit label map), <c>DIR/&lt;id&gt;.overlay.png</c> and, with
/// <see cref="OutputOptions.Exports"/>, <c>&lt;id&gt;.geojson</c>, <c>&lt;id&gt;.rois.zip</c> and the label TIFF
/// <c>&lt;id&gt;.labels.tif</c> (over 65535 nuclei the label map itself is that TIFF); and at the end
/// (<see cref="Finish"/>): <c>DIR/summary.csv</c> (image, nuclei, mean_area_px), with <see cref="OutputOptions.Measure"/>
/// <c>DIR/measurements.csv</c> (one row per nucleus) and, when asked, a Kaggle submission CSV.
/// Given an image's truth, it scores the image (<see cref="Evaluations"/>). With <see cref="OutputOptions.Report"/>,
/// each image's record also keeps what the report shows of it (<see cref="ReportFacts"/>), an image written with a truth
/// gets <c>DIR/report_files/&lt;id&gt;.errors.png</c> among its files, and <see cref="Finish"/> writes
/// <c>DIR/report.html</c> (see <see cref="FolderReport"/>).
/// <para>
/// A facade over <see cref="OutputLayout"/> (the names), <see cref="ImageOutputComposer"/> (one image's files),
/// <see cref="ImageRecordJournal"/> (committing them crash-safely, record last) and <see cref="RunLevelFiles"/> (the
/// folder's checks and its rebuilt run-level files). It also makes sure each image is written once per run. Thread-safe.
/// </para>
/// </summary>
internal sealed class SegmentationOutputWriter
{
    readonly object gate = new();
    readonly HashSet<string> started = new(StringComparer.Ordinal);
    readonly List<ImageEvaluation> evaluations = new();
    readonly OutputLayout layout;
    readonly ImageOutputComposer composer;
    readonly ImageRecordJournal journal;
    readonly RunLevelFiles runFiles;

    public string OutputDir => layout.OutputDir;
    public string? SubmissionCsvPath => layout.SubmissionCsvPath;
    public string SummaryPath => layout.SummaryPath;
    public string MeasurementsPath => layout.MeasurementsPath;
    public OutputOptions Options { get; }
    /// <summary>The report being gathered, when <see cref="OutputOptions.Report"/> asked for one.</summary>
    public ReportBuilder? Report { get; }

    /// <summary>
    /// The image records of the folder that the last <see cref="Finish"/> refused to take (see <see cref="ImageRecords.ReadAll"/>):
    /// input errors naming each record's file and its problem; those images are in none of the files it rebuilt.
    /// </summary>
    public IReadOnlyList<NucleiInputException> RefusedRecords => runFiles.RefusedRecords;

    /// <param name="createFile">opens each temporary file (default: a plain file); tests inject failures here.</param>
    /// <param name="runDescription">how the run was made, shown at the top of the report</param>
    /// <exception cref="NucleiInputException">a bad option, or a folder to write into cannot be created or written (checked before any image).</exception>
    public SegmentationOutputWriter(string outputDir, string? submissionCsvPath = null, Func<string, Stream>? createFile = null,
        OutputOptions? options = null, string runDescription = "")
    {
        Options = options ?? OutputOptions.Default;
        Options.Validate();
        outputDir = Path.GetFullPath(outputDir);
        submissionCsvPath = submissionCsvPath is null ? null : Path.GetFullPath(submissionCsvPath);
        var records = new ImageRecords(outputDir);
        RunLevelFiles.Prepare(outputDir, submissionCsvPath);
        if (Options.Report)
            Report = new ReportBuilder(Path.Combine(outputDir, ReportBuilder.FileName), $"Nuclei report: {Path.GetFileName(outputDir)}", runDescription);
        layout = new OutputLayout(outputDir, submissionCsvPath, Options, records, Report);
        composer = new ImageOutputComposer(Options, layout, Report);
        journal = new ImageRecordJournal(layout, Options, records, createFile);
        runFiles = new RunLevelFiles(layout, Options, records, Report, createFile);
    }

    /// <inheritdoc cref="OutputLayout.RequireNamesFit"/>
    public void RequireNamesFit(string id, string? source) => layout.RequireNamesFit(id, source);

    /// <inheritdoc cref="ImageRecordJournal.IsComplete"/>
    public bool IsComplete(string id, bool scored = false) => journal.IsComplete(id, scored);

    /// <summary>
    /// Writes the label map, overlay and exports of one image, plus <paramref name="extraFiles"/> (names relative to
    /// the output folder, e.g. probability maps), all or none, then its record.
    /// </summary>
    /// <param name="seconds">how long the image took to segment, for the report</param>
    /// <param name="truth">the image's true labels: the image is scored against them</param>
    /// <param name="segmentation">how the image was segmented, for the report</param>
    public SegmentationSummaryRow Write(string id, FloatImage image, LabelImage labels,
        IReadOnlyList<(string Name, byte[] Bytes)>? extraFiles = null, double? seconds = null, LabelImage? truth = null,
        ImageSegmentation? segmentation = null)
    {
        if (image.Height != labels.Height || image.Width != labels.Width)
            throw new ArgumentException($"{id}: image is {image.Height}x{image.Width} but labels are {labels.Height}x{labels.Width}");
        OutputLayout.RequireValidId(id);
        layout.RequireNamesFit(id, null);
        return Once(id, () =>
        {
            var (files, record, evaluation) = composer.Compose(id, image, labels, extraFiles, seconds, truth, segmentation);
            journal.Commit(id, files, record);
            if (evaluation is not null) lock (gate) evaluations.Add(evaluation);
            return new SegmentationSummaryRow(id, record.Nuclei, record.MeanAreaPx,
                Path.Combine(OutputDir, files[0].Name), Path.Combine(OutputDir, files[1].Name))
            {
                Outputs = files.Select(f => Path.Combine(OutputDir, f.Name)).ToList(),
            };
        });
    }

    /// <summary>
    /// Takes over an image that another output folder holds: copies the files its <paramref name="record"/> lists from
    /// <paramref name="sourceDir"/> and writes the record, all or none and the record last, as <see cref="Write"/> does
    /// (for <c>nuclei merge</c>, which combines the folders of a sharded run).
    /// </summary>
    /// <exception cref="IOException">a listed file is missing, changed size, or lies outside its folder.</exception>
    public void Adopt(string sourceDir, ImageRecord record)
    {
        OutputLayout.RequireValidId(record.Image); // a record names where its image goes: never outside this folder
        Once(record.Image, () => journal.Adopt(sourceDir, record));
    }

    /// <summary>
    /// Records an image whose files another writer streamed into the output folder (block-wise segmentation of an image
    /// too big to hold): <see cref="BeginStreamed"/>, before they are written, marks the image as this run's and
    /// unfinished, so that a kill part-way leaves it to redo; <see cref="FinishStreamed"/> records it complete, so that
    /// it counts in summary.csv and <c>nuclei merge</c> takes it. Its run-length rows and measurements stay in its own files.
    /// </summary>
    public void BeginStreamed(string id)
    {
        OutputLayout.RequireValidId(id);
        layout.RequireNamesFit(id, null);
        lock (gate)
            if (!started.Add(id)) throw new InvalidOperationException($"image id '{id}' was written twice");
        journal.BeginStreamed(id);
    }

    /// <inheritdoc cref="BeginStreamed"/>
    public SegmentationSummaryRow FinishStreamed(string id, int nuclei, long areaPx, IReadOnlyList<string> files)
    {
        var record = journal.FinishStreamed(id, nuclei, areaPx, files);
        return new SegmentationSummaryRow(id, nuclei, record.MeanAreaPx, Path.GetFullPath(files[0]), OverlayPath: null)
        {
            Outputs = files.Select(Path.GetFullPath).ToList(),
        };
    }

    void Once(string id, Action write) => Once(id, () => { write(); return true; });

    /// <summary>Runs the writing of <paramref name="id"/> once per run; a failed write lets a retry of the id go through.</summary>
    T Once<T>(string id, Func<T> write)
    {
        lock (gate)
            if (!started.Add(id)) throw new InvalidOperationException($"image id '{id}' was written twice");
        bool written = false;
        try
        {
            var result = write();
            written = true;
            return result;
        }
        finally
        {
            if (!written) lock (gate) started.Remove(id); // let a retry of this id go through
        }
    }

    /// <summary>The evaluations of this run's images written with a truth, by image id.</summary>
    public IReadOnlyList<ImageEvaluation> Evaluations
    {
        get { lock (gate) return evaluations.OrderBy(e => e.Id, StringComparer.Ordinal).ToList(); }
    }

    /// <inheritdoc cref="RunLevelFiles.EnsureNothingForeignIsReplaced"/>
    public void EnsureNothingForeignIsReplaced(IEnumerable<string> inputs, IReadOnlyCollection<string> ids, IEnumerable<string>? extraOutputs = null) =>
        runFiles.EnsureNothingForeignIsReplaced(inputs, ids, extraOutputs);

    /// <inheritdoc cref="RunLevelFiles.Finish"/>
    public RunReport? Finish(IReadOnlyList<ReportFailure>? failures = null) => runFiles.Finish(failures);
}
