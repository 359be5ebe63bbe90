using System.Runtime.InteropServices;

namespace Nuclei.Core.IO;

/// <summary>
/// Refuses anything but a regular file (or a link to one) before it is opened: opening a FIFO blocks until a writer
/// comes, and a device such as /dev/zero never ends, so reading either "to the end" hangs or exhausts memory.
/// .NET does not expose the file type, so on Linux it is read with statx(2) (whose struct layout is the same on
/// every architecture: stx_mode is the 16-bit field at byte 28; S_IFMT, S_IFREG... as in inode(7)).
/// </summary>
public static class RegularFile
{
    /// <exception cref="NucleiInputException">the path is missing, a folder, a FIFO, a device or a socket.</exception>
    public static void Require(string path, string what)
    {
        if (Directory.Exists(path)) throw new NucleiInputException(path, $"{what} is a folder, not a file");
        if (!File.Exists(path)) throw new NucleiInputException(path, $"{what} not found");
        if (OperatingSystem.IsLinux() && FileTypeBits(path) is { } type && type != RegularType)
            throw new NucleiInputException(path, $"{what} is {Describe(type)}, not a regular file");
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
