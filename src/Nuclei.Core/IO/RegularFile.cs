using System.Runtime.InteropServices;

namespace Nuclei.Core.IO;

/// <summary>
/// Refuses anything but a readable regular file (or a link to one) before it is opened: opening a FIFO blocks until a
/// writer comes, and a device such as /dev/zero never ends, so reading either "to the end" hangs or exhausts memory.
/// Nothing is opened before the type is known: .NET does not expose the file type, so on Linux it is read with statx(2)
/// (whose struct layout is the same on every architecture: stx_mode is the 16-bit field at byte 28; S_IFMT, S_IFREG...
/// as in inode(7)). A dangling link and a file we may not read are named as such, not left to fail later as
/// "not found" or "cannot decode".
/// </summary>
internal static class RegularFile
{
    /// <exception cref="NucleiInputException">the path is missing, a dangling link, a folder, a FIFO, a device, a socket or unreadable.</exception>
    public static void Require(string path, string what)
    {
        if (ProblemOf(path, what) is { } problem) throw new NucleiInputException(path, problem);
    }

    /// <summary>Why <paramref name="path"/> cannot be read as a file (the message starts with <paramref name="what"/>), or null when it can.</summary>
    public static string? ProblemOf(string path, string what)
    {
        if (Directory.Exists(path)) return $"{what} is a folder, not a file";
        if (DanglingLink(path) is { } link) return $"{what} is {link}";
        if (!File.Exists(path)) return $"{what} not found";
        int? type = OperatingSystem.IsLinux() ? FileTypeBits(path) : null;
        if (type is { } bits && bits != RegularType) return $"{what} is {Describe(bits)}, not a regular file";
        // Opening is safe once the file is known to be regular (Linux), or where folders hold no FIFOs (Windows).
        if ((type is not null || OperatingSystem.IsWindows()) && !CanOpen(path)) return $"{what} cannot be read: permission denied";
        return null;
    }

    /// <summary>"a dangling link (to X)" when <paramref name="path"/> is a link whose target is missing (or a loop of links); else null.</summary>
    static string? DanglingLink(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not { } target) return null;
            try
            {
                return info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } ? null : $"a dangling link (to {target})";
            }
            catch (IOException) { return $"a link that leads round in a loop (to {target})"; }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; } // not a link we can read: the checks that follow say more
    }

    static bool CanOpen(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return true;
        }
        catch (UnauthorizedAccessException) { return false; }
        catch (IOException) { return true; } // another problem: let the read that follows name it
    }

    const int AtFdCwd = -100;      // resolve a relative path from the working directory
    const uint StatxType = 0x1;    // STATX_TYPE: only the file type is wanted
    const int ModeOffset = 28;     // offset of stx_mode in struct statx
    const int FormatMask = 0xF000; // S_IFMT
    const int RegularType = 0x8000;

    static int? FileTypeBits(string path)
    {
        var buffer = new byte[256]; // sizeof(struct statx)
        try
        {
            if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return null; // let the open that follows report it
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a C library without statx (glibc < 2.28): fall back to what opening the file says
        }
        return BitConverter.ToUInt16(buffer, ModeOffset) & FormatMask;
    }

    static string Describe(int type) => type switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        0x4000 => "a folder",
        _ => $"a special file (type 0x{type:X4})",
    };

    [DllImport("libc", SetLastError = true)]
    static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
