using System.Text;

namespace Nuclei.Core.IO;

/// <summary>
/// Writes a file so that readers never see it half-written: the content goes to a temporary file in the
/// same folder (see <see cref="TemporaryFiles"/>), is flushed to disk, then renamed over the target
/// (rename is atomic within one file system) and the folder flushed, so the rename itself survives a power cut.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a temporary path (which keeps the target's extension, for writers that
    /// choose the format from it); flushes it to disk and renames it to <paramref name="path"/> when it returns.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string tmp = TemporaryFiles.NameFor(full, keepExtension: true);
        try
        {
            write(tmp);
            if (!File.Exists(tmp)) throw new IOException($"{path}: writer produced no file");
            using (var written = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite)) written.Flush(flushToDisk: true);
            FolderSync.Move(tmp, full);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <param name="create">opens the temporary file (see <see cref="StagedFiles"/>); tests inject failures here.</param>
    public static void WriteAllText(string path, string text, Func<string, Stream>? create = null) =>
        WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text), create);

    /// <param name="create">opens the temporary file (see <see cref="StagedFiles"/>); tests inject failures here.</param>
    public static void WriteAllBytes(string path, byte[] bytes, Func<string, Stream>? create = null)
    {
        using var files = new StagedFiles(create);
        files.Stage(path, bytes);
        files.Commit();
    }
}
