namespace Nuclei.Core.IO;

/// <summary>
/// Files that appear together or not at all (e.g. one image's label map and overlay). <see cref="Stage"/> writes
/// each to a temporary file in its target folder, flushes it to disk (fsync) and checks its size on disk;
/// <see cref="Commit"/> renames them all onto their targets and flushes their folders. Disposing before the commit deletes the temporaries,
/// so a failed write (disk full, encoder error) never leaves a broken file under a final name and never replaces
/// an earlier good file.
/// </summary>
internal sealed class StagedFiles : IDisposable
{
    readonly Func<string, Stream> create;
    readonly List<(string Temp, string Target)> staged = new();
    bool committed;

    /// <param name="create">opens a new temporary file for writing; the default is a plain <see cref="FileStream"/>.
    /// Tests pass one that fails part-way to simulate a full disk.</param>
    public StagedFiles(Func<string, Stream>? create = null) => this.create = create ?? CreateFile;

    public static Stream CreateFile(string path) => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);

    /// <summary>Writes <paramref name="bytes"/> durably to a temporary beside <paramref name="path"/>.</summary>
    public void Stage(string path, ReadOnlySpan<byte> bytes)
    {
        if (committed) throw new InvalidOperationException("already committed");
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = TemporaryFiles.NameFor(full);
        staged.Add((temp, full)); // before writing, so a failure part-way still deletes it
        try
        {
            using var stream = create(temp);
            stream.Write(bytes);
            if (stream is FileStream file) file.Flush(flushToDisk: true);
            else stream.Flush();
        }
        catch (IOException e)
        {
            // Name the file the user asked for, not our temporary (which is deleted).
            throw new IOException($"{full}: {e.Message.Replace($" : '{temp}'", "")}", e);
        }
        long onDisk = new FileInfo(temp).Length;
        if (onDisk != bytes.Length)
            throw new IOException($"{path}: only {onDisk} of {bytes.Length} bytes reached the disk");
    }

    /// <summary>
    /// A temporary beside <paramref name="path"/> for a file too large to build in memory: the caller writes it,
    /// flushes it to disk and closes it before <see cref="Commit"/>.
    /// </summary>
    public string Reserve(string path)
    {
        if (committed) throw new InvalidOperationException("already committed");
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = TemporaryFiles.NameFor(full, keepExtension: true);
        staged.Add((temp, full));
        return temp;
    }

    /// <summary>Renames every staged file onto its target (rename is atomic within one file system).</summary>
    public void Commit()
    {
        foreach (var (temp, target) in staged) File.Move(temp, target, overwrite: true);
        committed = true;
        foreach (string folder in staged.Select(f => Path.GetDirectoryName(f.Target)!).Distinct()) FolderSync.Flush(folder);
    }

    public void Dispose()
    {
        foreach (var (temp, _) in staged)
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (IOException) { } // best effort: the next run into the folder removes stale temporaries
            catch (UnauthorizedAccessException) { }
        }
    }
}
