using System.Globalization;
using System.Text;
using Nuclei.Core.Data;
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
/// <c>DIR/&lt;id&gt;.labels.png</c> (16-bit label map; the <c>.labels</c> suffix means a label map can never replace an
/// input image, and every folder scan skips it as an input), <c>DIR/&lt;id&gt;.overlay.png</c> and, with
/// <see cref="OutputOptions.Exports"/>, <c>&lt;id&gt;.geojson</c>, <c>&lt;id&gt;.rois.zip</c> and the label TIFF
/// <c>&lt;id&gt;.labels.tif</c> (over 65535 nuclei the label map itself is that TIFF); and at the end
/// (<see cref="Finish"/>): <c>DIR/summary.csv</c> (image, nuclei, mean_area_px), with <see cref="OutputOptions.Measure"/>
/// <c>DIR/measurements.csv</c> (one row per nucleus) and, when asked, a Kaggle submission CSV.
/// Given an image's truth, it scores the image (<see cref="Evaluations"/>). With <see cref="OutputOptions.Report"/>,
/// each image's record also keeps what the report shows of it (<see cref="ReportFacts"/>), an image written with a truth
/// gets <c>DIR/report_files/&lt;id&gt;.errors.png</c> among its files, and <see cref="Finish"/> writes
/// <c>DIR/report.html</c> (see <see cref="FolderReport"/>).
/// <para>
/// Crash safety: an image's files are all written to temporaries, flushed and size-checked, then renamed together,
/// and its record (<see cref="ImageRecords"/>, which also holds its measurements) is renamed last; any failure deletes
/// the temporaries and fails that image only. The run-level files are rebuilt from every record in the folder under a
/// folder lock, so they hold each image whose outputs exist exactly once, across killed, repeated and concurrent runs.
/// Rows are sorted by image id (ordinal). Thread-safe.
/// </para>
/// </summary>
internal sealed class SegmentationOutputWriter
{
    public const string SummaryFileName = "summary.csv";
    public const string LabelsSuffix = DsbDataset.LabelsSuffix;
    public const string OverlaySuffix = InputCollector.OverlaySuffix;
    static readonly string[] SummaryHeader = ["image", "nuclei", "mean_area_px"];

    readonly object gate = new();
    readonly HashSet<string> started = new(StringComparer.Ordinal);
    readonly List<ImageEvaluation> evaluations = new();
    readonly Func<string, Stream>? createFile;
    readonly ImageRecords records;

    public string OutputDir { get; }
    public string? SubmissionCsvPath { get; }
    public string SummaryPath => Path.Combine(OutputDir, SummaryFileName);
    public string MeasurementsPath => Path.Combine(OutputDir, MeasurementsCsv.FileName);
    public OutputOptions Options { get; }
    /// <summary>The report being gathered, when <see cref="OutputOptions.Report"/> asked for one.</summary>
    public ReportBuilder? Report { get; }

    /// <summary>
    /// The image records of the folder that the last <see cref="Finish"/> refused to take (see <see cref="ImageRecords.ReadAll"/>):
    /// input errors naming each record's file and its problem; those images are in none of the files it rebuilt.
    /// </summary>
    public IReadOnlyList<NucleiInputException> RefusedRecords { get; private set; } = [];

    /// <param name="createFile">opens each temporary file (default: a plain file); tests inject failures here.</param>
    /// <param name="runDescription">how the run was made, shown at the top of the report</param>
    /// <exception cref="NucleiInputException">a bad option, or a folder to write into cannot be created or written (checked before any image).</exception>
    public SegmentationOutputWriter(string outputDir, string? submissionCsvPath = null, Func<string, Stream>? createFile = null,
        OutputOptions? options = null, string runDescription = "")
    {
        Options = options ?? OutputOptions.Default;
        Options.Validate();
        OutputDir = Path.GetFullPath(outputDir);
        SubmissionCsvPath = submissionCsvPath is null ? null : Path.GetFullPath(submissionCsvPath);
        this.createFile = createFile;
        records = new ImageRecords(OutputDir);
        EnsureWritable(OutputDir);
        if (SubmissionCsvPath is not null) EnsureWritable(Path.GetDirectoryName(SubmissionCsvPath)!);
        TemporaryFiles.RemoveStale(OutputDir, recursive: true);
        if (Options.Report)
            Report = new ReportBuilder(Path.Combine(OutputDir, ReportBuilder.FileName), $"Nuclei report: {Path.GetFileName(OutputDir)}", runDescription);
    }

    /// <summary>An id names files inside the output folder (see <see cref="OutputNames"/> for the rule).</summary>
    public static bool IsValidId(string id) => OutputNames.ProblemOf(id) is null;

    /// <exception cref="NucleiInputException">the id breaks the rule of <see cref="OutputNames"/> (the message says how).</exception>
    static void RequireValidId(string id)
    {
        if (OutputNames.ProblemOf(id) is { } problem)
            throw new NucleiInputException(null, $"image id '{UntrustedText.Clean(id, 300)}' cannot name an output file: it {problem}");
    }

    public static string LabelsFileName(string id, string extension = ".png") => id + LabelsSuffix + extension;
    public static string OverlayFileName(string id) => id + OverlaySuffix + ".png";

    /// <summary>The names of the per-image files <see cref="OutputOptions.Exports"/> asks for.</summary>
    IEnumerable<string> ExportFileNames(string id) => ExportFormats.Of(Options.Exports).Select(e => id + e.Suffix);

    /// <summary>The picture of an image's errors against its truth, relative to the output folder (with <see cref="Report"/>).</summary>
    string ErrorPictureName(string id) => Report!.AssetsFolderName + "/" + id + ReportBuilder.ErrorPictureSuffix;

    /// <summary>Every path a run over <paramref name="ids"/> may write (for the check that no input is among them).</summary>
    public IEnumerable<string> PlannedOutputs(IEnumerable<string> ids)
    {
        yield return SummaryPath;
        if (Options.Measure) yield return MeasurementsPath;
        yield return Path.Combine(OutputDir, FolderLock.FileName);
        yield return RunRecordFile.PathIn(OutputDir);
        if (SubmissionCsvPath is not null) yield return SubmissionCsvPath;
        if (Report is not null) yield return Report.HtmlPath;
        foreach (string path in ids.SelectMany(OutputsOf)) yield return path;
    }

    /// <summary>Every path the writer may write for the image <paramref name="id"/>.</summary>
    IEnumerable<string> OutputsOf(string id)
    {
        yield return Path.Combine(OutputDir, LabelsFileName(id));
        yield return Path.Combine(OutputDir, LabelsFileName(id, ".tif"));
        yield return Path.Combine(OutputDir, OverlayFileName(id));
        foreach (string name in ExportFileNames(id)) yield return Path.Combine(OutputDir, name);
        if (Report is not null) yield return Path.Combine(OutputDir, ErrorPictureName(id));
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

    /// <summary>
    /// True when an earlier run wrote every output of <paramref name="id"/> (its record and the files it lists),
    /// including the measurements, exports and report facts this writer's options ask for (and, when
    /// <paramref name="scored"/>, the report's score of the image).
    /// </summary>
    public bool IsComplete(string id, bool scored = false) =>
        records.Read(id) is { } r && records.IsComplete(r)
        && (!Options.Measure || r.Measurements is not null)
        && (!Options.Report || (r.Report is not null && (!scored || r.Report.Evaluation is not null)))
        && ExportFileNames(id).All(name => r.Files.Any(f => f.Name == name));

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
        RequireValidId(id);
        RequireNamesFit(id, null);
        lock (gate)
            if (!started.Add(id)) throw new InvalidOperationException($"image id '{id}' was written twice");
        bool written = false;
        try
        {
            using var overlay = OverlayPicture.Compose(image, labels, Options.Overlay ?? OverlayOptions.Default);
            var files = new List<(string Name, byte[] Bytes)>
            {
                LabelMap(id, labels),
                (OverlayFileName(id), ImageIO.EncodePicture(overlay, ".png")),
            };
            var measurements = Options.Measure || ExportFormats.Of(Options.Exports).Any(e => e.NeedsMeasurements)
                ? RegionMeasurer.Measure(labels, image) : null;
            files.AddRange(Exports(id, labels, measurements).Where(e => e.Name != files[0].Name)); // a .labels.tif map is the TIFF export
            if (extraFiles is not null) files.AddRange(extraFiles);
            var (count, area) = CountAndArea(labels);
            var evaluation = truth is null ? null : ImageEvaluation.Of(id, truth, labels);
            var facts = Report is null ? null : ReportFactsOf(id, image, labels, seconds, overlay, truth, evaluation, files, segmentation);
            var record = new ImageRecord(id, count, count == 0 ? 0 : (double)area / count, SubmissionCsv.EncodedPixels(labels),
                files.Select(f => new RecordedFile(f.Name, f.Bytes.Length)).ToList(),
                Measurements: Options.Measure ? measurements : null, Report: facts);
            Commit(id, files, record);
            written = true;
            if (evaluation is not null) lock (gate) evaluations.Add(evaluation);
            return new SegmentationSummaryRow(id, record.Nuclei, record.MeanAreaPx,
                Path.Combine(OutputDir, files[0].Name), Path.Combine(OutputDir, files[1].Name))
            {
                Outputs = files.Select(f => Path.Combine(OutputDir, f.Name)).ToList(),
            };
        }
        finally
        {
            if (!written) lock (gate) started.Remove(id); // let a retry of this id go through
        }
    }

    /// <summary>
    /// Takes over an image that another output folder holds: copies the files its <paramref name="record"/> lists from
    /// <paramref name="sourceDir"/> and writes the record, all or none and the record last, as <see cref="Write"/> does
    /// (for <c>nuclei merge</c>, which combines the folders of a sharded run).
    /// </summary>
    /// <exception cref="IOException">a listed file is missing, changed size, or lies outside its folder.</exception>
    public void Adopt(string sourceDir, ImageRecord record)
    {
        string id = record.Image;
        RequireValidId(id); // a record names where its image goes: never outside this folder
        lock (gate)
            if (!started.Add(id)) throw new InvalidOperationException($"image id '{id}' was written twice");
        bool written = false;
        try
        {
            foreach (var file in record.Files) Within(OutputDir, file.Name);
            var sources = record.Files.Select(f => (f.Name, Source: RecordedFilePath(sourceDir, f))).ToList();
            Commit(id, [], record with { Complete = true }, copies: sources);
            written = true;
        }
        finally
        {
            if (!written) lock (gate) started.Remove(id);
        }
    }

    /// <summary>
    /// Records an image whose files another writer streamed into the output folder (block-wise segmentation of an image
    /// too big to hold): <see cref="BeginStreamed"/>, before they are written, marks the image as this run's and
    /// unfinished, so that a kill part-way leaves it to redo; <see cref="FinishStreamed"/> records it complete, so that
    /// it counts in summary.csv and <c>nuclei merge</c> takes it. Its run-length rows and measurements stay in its own files.
    /// </summary>
    public void BeginStreamed(string id)
    {
        RequireValidId(id);
        RequireNamesFit(id, null);
        lock (gate)
            if (!started.Add(id)) throw new InvalidOperationException($"image id '{id}' was written twice");
        // the files of an earlier run stay listed, so that those this run does not replace are removed at the end
        var earlier = records.Read(id)?.Files ?? [];
        WriteBytes(records.PathOf(id), ImageRecords.Serialize(new ImageRecord(id, 0, 0, [], earlier, Complete: false)));
    }

    /// <inheritdoc cref="BeginStreamed"/>
    public SegmentationSummaryRow FinishStreamed(string id, int nuclei, long areaPx, IReadOnlyList<string> files)
    {
        // '/'-separated on every system, as ids are, so that the record reads back under the rule of OutputNames
        var recorded = files.Select(f => new RecordedFile(
            Path.GetRelativePath(OutputDir, Path.GetFullPath(f)).Replace(Path.DirectorySeparatorChar, '/'), new FileInfo(f).Length)).ToList();
        foreach (var file in recorded) Within(OutputDir, file.Name);
        var record = new ImageRecord(id, nuclei, nuclei == 0 ? 0 : (double)areaPx / nuclei, [], recorded);
        foreach (string stale in StaleFiles(id, records.Read(id), recorded.Select(f => f.Name).ToHashSet(StringComparer.Ordinal))) File.Delete(stale);
        WriteBytes(records.PathOf(id), ImageRecords.Serialize(record));
        return new SegmentationSummaryRow(id, nuclei, record.MeanAreaPx, Path.GetFullPath(files[0]), OverlayPath: null)
        {
            Outputs = files.Select(Path.GetFullPath).ToList(),
        };
    }

    /// <summary>The file <paramref name="file"/> of a record in <paramref name="sourceDir"/>, which must still have its recorded size.</summary>
    static string RecordedFilePath(string sourceDir, RecordedFile file)
    {
        string path = Within(sourceDir, file.Name);
        var info = new FileInfo(path);
        if (!info.Exists) throw new IOException($"{path}: listed in its image record but missing");
        if (info.Length != file.Bytes)
            throw new IOException($"{path}: {info.Length} bytes but its record says {file.Bytes} (changed since it was written?)");
        return path;
    }

    /// <summary>The full path of <paramref name="name"/> (from an image record) in <paramref name="folder"/>, which it must not leave.</summary>
    static string Within(string folder, string name)
    {
        string root = Path.GetFullPath(folder), path = Path.GetFullPath(Path.Combine(root, name));
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new IOException($"{root}: an image record names the file '{name}' outside the folder");
    }

    /// <summary>
    /// What the report shows of this image, timed as report work; with a truth, also adds the picture of its errors
    /// to <paramref name="files"/> (so it is committed with the image's other files).
    /// </summary>
    ReportFacts ReportFactsOf(string id, FloatImage image, LabelImage labels, double? seconds, OpenCvSharp.Mat overlay,
        LabelImage? truth, ImageEvaluation? evaluation, List<(string Name, byte[] Bytes)> files, ImageSegmentation? segmentation) => Report!.Timed(() =>
    {
        if (evaluation is not null)
        {
            using var picture = ErrorPicture.Render(image, truth!, labels, evaluation.Errors);
            files.Add((ErrorPictureName(id), ImageIO.EncodePicture(picture, ".png")));
        }
        return new ReportFacts(NucleusStatistics.Of(labels, image), Thumbnail.DataUri(overlay), seconds, evaluation, segmentation);
    });

    /// <summary>The evaluations of this run's images written with a truth, by image id.</summary>
    public IReadOnlyList<ImageEvaluation> Evaluations
    {
        get { lock (gate) return evaluations.OrderBy(e => e.Id, StringComparer.Ordinal).ToList(); }
    }

    /// <summary>A 16-bit PNG, or over 65535 nuclei the (32-bit) label TIFF.</summary>
    (string Name, byte[] Bytes) LabelMap(string id, LabelImage labels) =>
        labels.MaxLabel() <= ushort.MaxValue
            ? (LabelsFileName(id), ImageIO.EncodeLabels(labels, ".png").Bytes)
            : (LabelsFileName(id, ".tif"), LabelTiff.Encode(labels, Options.PixelSizeUm));

    /// <summary>The files of <see cref="OutputOptions.Exports"/> for one image, encoded in memory.</summary>
    IEnumerable<(string Name, byte[] Bytes)> Exports(string id, LabelImage labels, IReadOnlyList<NucleusMeasurement>? measurements)
    {
        var exported = new ExportedImage(labels, Options.PixelSizeUm, measurements);
        return ExportFormats.Of(Options.Exports).Select(e => (id + e.Suffix, e.EncodeFile(exported))).ToList();
    }

    void Commit(string id, List<(string Name, byte[] Bytes)> files, ImageRecord record, IReadOnlyList<(string Name, string Source)>? copies = null)
    {
        var previous = records.Read(id);
        using var staged = new StagedFiles(createFile);
        foreach (var (name, bytes) in files) staged.Stage(Path.Combine(OutputDir, name), bytes);
        foreach (var (name, source) in copies ?? []) CopyDurably(source, staged.Reserve(Path.Combine(OutputDir, name)));
        staged.Stage(records.PathOf(id), ImageRecords.Serialize(record)); // renamed last: the image is done
        // While the files are renamed the record says "ours, incomplete": a kill in between leaves the image to redo.
        WriteBytes(records.PathOf(id), ImageRecords.Serialize(record with { Complete = false }));
        var names = files.Select(f => f.Name).Concat((copies ?? []).Select(c => c.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (string stale in StaleFiles(id, previous, names)) File.Delete(stale);
        staged.Commit();
    }

    /// <summary>A file copied in chunks (a big image's label TIFF may not fit in memory) and flushed to disk.</summary>
    static void CopyDurably(string source, string target)
    {
        using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        using (var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            from.CopyTo(to);
            to.Flush(flushToDisk: true);
        }
        if (new FileInfo(target).Length != new FileInfo(source).Length)
            throw new IOException($"{target}: the copy of {source} is incomplete");
    }

    /// <summary>
    /// Files an earlier run wrote for <paramref name="id"/> that this write does not replace (a label map in the other
    /// format, an export no longer asked for), so the folder never holds outputs of two runs for one image.
    /// </summary>
    IEnumerable<string> StaleFiles(string id, ImageRecord? previous, IReadOnlySet<string> names)
    {
        var earlier = (previous?.Files.Select(f => f.Name) ?? []).Append(LabelsFileName(id, ".png")).Append(LabelsFileName(id, ".tif"));
        foreach (string name in earlier.Distinct().Where(n => !names.Contains(n)))
        {
            string path = Path.GetFullPath(Path.Combine(OutputDir, name));
            if (path.StartsWith(OutputDir + Path.DirectorySeparatorChar, StringComparison.Ordinal)) yield return path;
        }
    }

    /// <summary>
    /// Before the first image: refuses a run whose outputs (those of <see cref="PlannedOutputs"/> plus
    /// <paramref name="extraOutputs"/>) would replace one of its <paramref name="inputs"/>, or a label map no nuclei run wrote.
    /// </summary>
    /// <exception cref="NucleiInputException">names the file(s); nothing has been written.</exception>
    public void EnsureNothingForeignIsReplaced(IEnumerable<string> inputs, IReadOnlyCollection<string> ids, IEnumerable<string>? extraOutputs = null)
    {
        InputGuard.EnsureNoOverwrite(inputs, PlannedOutputs(ids).Concat(extraOutputs ?? []));
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
                string path = Path.Combine(OutputDir, LabelsFileName(id, ext));
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
    /// so the run that finishes last writes files that hold everyone's rows. With <see cref="Report"/>, then writes
    /// report.html the same way, from every record that holds report facts; <paramref name="failures"/> are this run's
    /// failed items, for the report. Returns the report written, if any.
    /// </summary>
    public RunReport? Finish(IReadOnlyList<ReportFailure>? failures = null)
    {
        using var folderLock = FolderLock.Acquire(OutputDir);
        var refused = new List<NucleiInputException>();
        var all = records.ReadAll(refused);
        RefusedRecords = refused;
        WriteText(SummaryPath, CsvTable.Format(SummaryHeader, all.Select(r => new[]
        {
            r.Image, r.Nuclei.ToString(CultureInfo.InvariantCulture), r.MeanAreaPx.ToString("F1", CultureInfo.InvariantCulture),
        })));
        if (Options.Measure)
            WriteText(MeasurementsPath, MeasurementsCsv.Format(
                all.Where(r => r.Measurements is not null).Select(r => (r.Image, r.Measurements!)), Options.PixelSizeUm));
        if (SubmissionCsvPath is not null)
            WriteText(SubmissionCsvPath, SubmissionCsv.Format(all.SelectMany(r => r.EncodedPixels.Select(rle => (r.Image, rle)))));
        return Report?.Timed(() =>
        {
            var report = FolderReport.Of(Report, OutputDir, all, failures ?? []);
            WriteText(Report.HtmlPath, HtmlReport.Render(report));
            return report;
        });
    }

    void WriteText(string path, string text) => AtomicFile.WriteAllText(path, text, createFile);

    void WriteBytes(string path, byte[] bytes) => AtomicFile.WriteAllBytes(path, bytes, createFile);

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
