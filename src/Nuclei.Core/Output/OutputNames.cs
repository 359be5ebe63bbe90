using System.Globalization;

namespace Nuclei.Core.Output;

/// <summary>
/// The rule for a name inside an output folder: an image id (which names its files and its record) or a file an image
/// record lists. A name is a file name, or a <c>/</c>-separated relative path (an image found by a recursive scan, whose
/// outputs mirror its folder), with no empty, <c>.</c> or <c>..</c> part and no character a file name may not hold, so it
/// never leaves the folder. The writer names files only so, and every reader of records holds them to the same rule.
/// <para>
/// Control characters are refused rather than escaped: an id is a row of summary.csv and of the submission CSV, which
/// <c>nuclei evaluate</c> reads back line by line, and part of every one-line message about its image; a line break or
/// an escape sequence in a file name is almost always an accident, and renaming the file is the one fix that keeps the
/// id, the file name and every CSV in agreement.
/// </para>
/// </summary>
internal static class OutputNames
{
    /// <summary>Why <paramref name="name"/> cannot name a file in an output folder, or null when it can.</summary>
    public static string? ProblemOf(string name)
    {
        if (name.Length == 0) return "is empty";
        int control = name.AsSpan().IndexOfAnyInRange('\0', '\x1F'); // the C0 and C1 controls (char.IsControl)
        if (control < 0) control = name.AsSpan().IndexOfAnyInRange('\x7F', '\x9F');
        if (control >= 0)
            return string.Create(CultureInfo.InvariantCulture, $"holds the control character U+{(int)name[control]:X4}");
        if (Path.IsPathRooted(name)) return "is an absolute path, outside the output folder";
        foreach (string part in name.Split('/'))
        {
            if (part is "" or "." or "..") return "has an empty, '.' or '..' part, so it would leave the output folder";
            if (part.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return "holds a character a file name may not hold";
        }
        return null;
    }
}
