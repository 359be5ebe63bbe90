using System.Runtime.InteropServices;

namespace Nuclei.Core.IO;

/// <summary>
/// One spelling per file, to tell whether two paths name the same directory entry: the folder part with every
/// symbolic link and <c>..</c> resolved (POSIX <c>realpath(3)</c>), the file name as given (writing by rename replaces a
/// link itself, not what it points to). Works for paths that do not exist yet (outputs): the deepest existing
/// folder is resolved and the rest appended.
/// </summary>
internal static partial class CanonicalPath
{
    public static string Of(string path)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is null) return full; // a root
        return Path.Combine(ResolveFolder(dir), Path.GetFileName(full));
    }

    /// <summary>Ordinal where file names are case-sensitive (Linux), ignoring case elsewhere.</summary>
    public static StringComparer Comparer => OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    static string ResolveFolder(string dir)
    {
        if (Directory.Exists(dir)) return RealPath(dir) ?? dir;
        string? parent = Path.GetDirectoryName(dir);
        return parent is null ? dir : Path.Combine(ResolveFolder(parent), Path.GetFileName(dir));
    }

    static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows()) return path;
        nint resolved = realpath(path, 0);
        if (resolved == 0) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { free(resolved); }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc")]
    private static partial void free(nint pointer);
}
