using System.Runtime.InteropServices;

namespace Nuclei.Core.Data;

/// <summary>How <see cref="FileLinker"/> placed a file.</summary>
internal enum LinkKind { Hard, Symbolic, Copy }

/// <summary>
/// Places a file at a second path without copying its bytes when it can: a hard link (same file system), else a
/// symbolic link (to the absolute source path), else a copy.
/// </summary>
internal static partial class FileLinker
{
    public static LinkKind Link(string source, string destination)
    {
        string from = Path.GetFullPath(source);
        if (TryHardLink(from, destination)) return LinkKind.Hard;
        try
        {
            File.CreateSymbolicLink(destination, from);
            return LinkKind.Symbolic;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(from, destination);
            return LinkKind.Copy;
        }
    }

    // .NET has no managed hard-link call; both are the operating system's documented ones (POSIX link(2), Win32 CreateHardLinkW).
    static bool TryHardLink(string from, string to) =>
        OperatingSystem.IsWindows() ? CreateHardLinkW(to, from, IntPtr.Zero) : link(from, to) == 0;

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string oldpath, string newpath);

    [LibraryImport("kernel32.dll", StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string newFileName, string existingFileName, IntPtr securityAttributes);
}
