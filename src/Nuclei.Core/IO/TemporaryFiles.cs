using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Nuclei.Core.IO;

/// <summary>
/// Names of the temporary files that <see cref="AtomicFile"/> and <see cref="StagedFiles"/> write before renaming:
/// <c>.NAME.PID.GUID.nuclei-tmp</c> (hidden, and with no image extension, so no folder scan takes one for an image).
/// <see cref="IsTemporary"/> also recognises the older <c>.NAME.PID.GUID.tmp.EXT</c> form, so readers skip and
/// <see cref="RemoveStale"/> cleans up what a killed run of any version left behind.
/// </summary>
public static partial class TemporaryFiles
{
    public const string Suffix = ".nuclei-tmp";

    [GeneratedRegex(@"^\..+\.(?<pid>\d+)\.[0-9a-f]{32}(\.nuclei-tmp|\.tmp)(\.[A-Za-z0-9]+)?$")]
    private static partial Regex Pattern();

    /// <summary>A fresh temporary path beside <paramref name="fullPath"/>; <paramref name="keepExtension"/> for writers that choose the format by extension.</summary>
    public static string NameFor(string fullPath, bool keepExtension = false)
    {
        string dir = Path.GetDirectoryName(fullPath)!;
        string name = $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}{Suffix}";
        return Path.Combine(dir, keepExtension ? name + Path.GetExtension(fullPath) : name);
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
