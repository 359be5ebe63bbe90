using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Nuclei.Core.IO;

/// <summary>
/// Names of the temporary files that <see cref="AtomicFile"/> and <see cref="StagedFiles"/> write before renaming:
/// <c>.NAME.PID.GUID.nuclei-tmp</c> (hidden, and with no image extension, so no folder scan takes one for an image).
/// <see cref="IsTemporary"/> also recognises the older <c>.NAME.PID.GUID.tmp.EXT</c> form, so readers skip and
/// <see cref="RemoveStale"/> cleans up what a killed run of any version left behind.
/// </summary>
internal static partial class TemporaryFiles
{
    public const string Suffix = ".nuclei-tmp";

    [GeneratedRegex(@"^\..+\.(?<pid>\d+)\.[0-9a-f]{32}(\.nuclei-tmp|\.tmp)(\.[A-Za-z0-9]+)?$")]
    private static partial Regex Pattern();

    /// <summary>The longest file name that ext4, XFS and APFS take, in bytes of UTF-8 (NTFS counts UTF-16 units, never more).</summary>
    public const int MaxNameBytes = 255;

    /// <summary>
    /// A fresh temporary path beside <paramref name="fullPath"/>; <paramref name="keepExtension"/> for writers that choose
    /// the format by extension. The target's name is cut (at a character boundary) so that the temporary's stays within
    /// <see cref="MaxNameBytes"/> whenever the target's own name does: the process id and GUID keep it unique, the
    /// suffix keeps it ours, and the start of the name still tells which file it was for.
    /// </summary>
    public static string NameFor(string fullPath, bool keepExtension = false)
    {
        string dir = Path.GetDirectoryName(fullPath)!;
        string tail = $".{Environment.ProcessId}.{Guid.NewGuid():N}{Suffix}" + (keepExtension ? Path.GetExtension(fullPath) : "");
        int room = MaxNameBytes - 1 - Encoding.UTF8.GetByteCount(tail); // 1: the leading dot
        return Path.Combine(dir, "." + Prefix(Path.GetFileName(fullPath), Math.Max(room, 1)) + tail);
    }

    /// <summary>The longest start of <paramref name="name"/> of at most <paramref name="maxBytes"/> UTF-8 bytes, never splitting a character.</summary>
    static string Prefix(string name, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(name) <= maxBytes) return name;
        var kept = new StringBuilder();
        int bytes = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes) break;
            kept.Append(rune.ToString());
            bytes += rune.Utf8SequenceLength;
        }
        return kept.Length > 0 ? kept.ToString() : "x"; // the pattern needs a name before the process id
    }

    /// <summary>True for a temporary file of ours (this or an older version), whoever wrote it.</summary>
    public static bool IsTemporary(string path) => Pattern().IsMatch(Path.GetFileName(path));

    /// <summary>
    /// Deletes the temporaries in <paramref name="folder"/> left by processes that no longer run (a killed run).
    /// Those of live processes are kept: a concurrent run into the same folder is still writing them.
    /// Returns how many were removed.
    /// </summary>
    public static int RemoveStale(string folder, bool recursive = false)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = recursive, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint,
        };
        foreach (string file in Directory.EnumerateFiles(folder, "*", options))
        {
            var m = Pattern().Match(Path.GetFileName(file));
            if (!m.Success || !int.TryParse(m.Groups["pid"].Value, out int pid) || IsRunning(pid)) continue;
            try { File.Delete(file); removed++; }
            catch (IOException) { } // another run removed it first
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; } // no such process
        catch (InvalidOperationException) { return false; }
    }
}
