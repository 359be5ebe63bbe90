using System.Runtime.InteropServices;

namespace Nuclei.Core.IO;

/// <summary>
/// Makes renames durable: after a file is renamed into a folder, the folder's own entry list must be flushed
/// (fsync on the folder) or a power cut can lose the rename even though the file's data reached the disk
/// (see the "ensuring data reaches disk" discussion in the Linux fsync(2) manual page). .NET cannot open a folder
/// as a stream, so this calls libc directly on Linux and macOS; elsewhere it does nothing.
/// </summary>
internal static partial class FolderSync
{
    const int ReadOnly = 0; // O_RDONLY

    /// <summary>Renames <paramref name="source"/> onto <paramref name="target"/> and flushes the target's folder.</summary>
    public static void Move(string source, string target)
    {
        File.Move(source, target, overwrite: true);
        Flush(Path.GetDirectoryName(Path.GetFullPath(target))!);
    }

    /// <summary>Flushes a folder's entries to disk; best effort (a file system that refuses is not an error).</summary>
    public static void Flush(string folder)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        int fd = open(folder, ReadOnly);
        if (fd < 0) return;
        try { fsync(fd); }
        finally { close(fd); }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
