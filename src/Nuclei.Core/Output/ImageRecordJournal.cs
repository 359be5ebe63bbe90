using Nuclei.Core.IO;

namespace Nuclei.Core.Output;

/// <summary>
/// Puts an image's files and its record (<see cref="ImageRecords"/>) into the output folder crash-safely, and reads the
/// records back for <c>--resume</c>. An image's files are all written to temporaries, flushed and size-checked, then
/// renamed together, and its record is renamed last; any failure deletes the temporaries and fails that image only.
/// Files an earlier run wrote for the image and this one does not replace are removed, so the folder never holds outputs
/// of two runs for one image.
/// </summary>
internal sealed class ImageRecordJournal
{
    readonly string outputDir;
    readonly OutputLayout layout;
    readonly OutputOptions options;
    readonly ImageRecords records;
    readonly Func<string, Stream>? createFile;

    /// <param name="createFile">opens each temporary file (default: a plain file); tests inject failures here.</param>
    public ImageRecordJournal(OutputLayout layout, OutputOptions options, ImageRecords records, Func<string, Stream>? createFile)
    {
        outputDir = layout.OutputDir;
        this.layout = layout;
        this.options = options;
        this.records = records;
        this.createFile = createFile;
    }

    /// <summary>
    /// True when an earlier run wrote every output of <paramref name="id"/> (its record and the files it lists),
    /// including the measurements, exports and report facts the options ask for (and, when
    /// <paramref name="scored"/>, the report's score of the image).
    /// </summary>
    public bool IsComplete(string id, bool scored) =>
        records.Read(id) is { } r && records.IsComplete(r)
        && (!options.Measure || r.Measurements is not null)
        && (!options.Report || (r.Report is not null && (!scored || r.Report.Evaluation is not null)))
        && layout.ExportFileNames(id).All(name => r.Files.Any(f => f.Name == name));

    /// <summary>
    /// Writes <paramref name="files"/> and copies <paramref name="copies"/> (names relative to the output folder), all or
    /// none, then <paramref name="record"/>.
    /// </summary>
    public void Commit(string id, List<(string Name, byte[] Bytes)> files, ImageRecord record, IReadOnlyList<(string Name, string Source)>? copies = null)
    {
        var previous = records.Read(id);
        using var staged = new StagedFiles(createFile);
        foreach (var (name, bytes) in files) staged.Stage(Path.Combine(outputDir, name), bytes);
        foreach (var (name, source) in copies ?? []) CopyDurably(source, staged.Reserve(Path.Combine(outputDir, name)));
        staged.Stage(records.PathOf(id), ImageRecords.Serialize(record)); // renamed last: the image is done
        // While the files are renamed the record says "ours, incomplete": a kill in between leaves the image to redo.
        WriteRecord(record with { Complete = false });
        var names = files.Select(f => f.Name).Concat((copies ?? []).Select(c => c.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (string stale in StaleFiles(id, previous, names)) File.Delete(stale);
        staged.Commit();
    }

    /// <summary>
    /// Takes over an image that another output folder holds: copies the files its <paramref name="record"/> lists from
    /// <paramref name="sourceDir"/> and writes the record, all or none and the record last, as <see cref="Commit"/> does.
    /// </summary>
    /// <exception cref="IOException">a listed file is missing, changed size, or lies outside its folder.</exception>
    public void Adopt(string sourceDir, ImageRecord record)
    {
        foreach (var file in record.Files) Within(outputDir, file.Name);
        var sources = record.Files.Select(f => (f.Name, Source: RecordedFilePath(sourceDir, f))).ToList();
        Commit(record.Image, [], record with { Complete = true }, copies: sources);
    }

    /// <summary>Marks an image whose files are about to be streamed as this run's and unfinished.</summary>
    public void BeginStreamed(string id)
    {
        // the files of an earlier run stay listed, so that those this run does not replace are removed at the end
        var earlier = records.Read(id)?.Files ?? [];
        WriteRecord(new ImageRecord(id, 0, 0, [], earlier, Complete: false));
    }

    /// <summary>Records an image whose streamed <paramref name="files"/> are in place as complete; returns its record.</summary>
    public ImageRecord FinishStreamed(string id, int nuclei, long areaPx, IReadOnlyList<string> files)
    {
        // '/'-separated on every system, as ids are, so that the record reads back under the rule of OutputNames
        var recorded = files.Select(f => new RecordedFile(
            Path.GetRelativePath(outputDir, Path.GetFullPath(f)).Replace(Path.DirectorySeparatorChar, '/'), new FileInfo(f).Length)).ToList();
        foreach (var file in recorded) Within(outputDir, file.Name);
        var record = new ImageRecord(id, nuclei, nuclei == 0 ? 0 : (double)areaPx / nuclei, [], recorded);
        foreach (string stale in StaleFiles(id, records.Read(id), recorded.Select(f => f.Name).ToHashSet(StringComparer.Ordinal))) File.Delete(stale);
        WriteRecord(record);
        return record;
    }

    void WriteRecord(ImageRecord record) =>
        AtomicFile.WriteAllBytes(records.PathOf(record.Image), ImageRecords.Serialize(record), createFile);

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
        var earlier = (previous?.Files.Select(f => f.Name) ?? []).Append(OutputLayout.LabelsFileName(id, ".png")).Append(OutputLayout.LabelsFileName(id, ".tif"));
        foreach (string name in earlier.Distinct().Where(n => !names.Contains(n)))
        {
            string path = Path.GetFullPath(Path.Combine(outputDir, name));
            if (path.StartsWith(outputDir + Path.DirectorySeparatorChar, StringComparison.Ordinal)) yield return path;
        }
    }
}
