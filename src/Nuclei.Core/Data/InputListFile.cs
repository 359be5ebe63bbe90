using Nuclei.Core.IO;

namespace Nuclei.Core.Data;

/// <summary>
/// A list of inputs in a text file (<c>--list FILE</c>), one image file or folder per line, for job arrays and
/// workflow engines. Blank lines and lines starting with <c>#</c> are skipped; a relative path is relative to the
/// folder of the list file, so a list and its images can move together.
/// </summary>
internal static class InputListFile
{
    /// <exception cref="NucleiInputException">the file is missing, unreadable or lists nothing.</exception>
    public static IReadOnlyList<string> Read(string listPath)
    {
        RegularFile.Require(listPath, "input list");
        string[] lines;
        try { lines = File.ReadAllLines(listPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NucleiInputException(listPath, $"cannot read the input list: {e.Message}");
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(listPath))!;
        var paths = lines.Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => Path.Combine(folder, l)) // an absolute line stays as it is
            .ToList();
        if (paths.Count == 0) throw new NucleiInputException(listPath, "the input list names no image or folder");
        return paths;
    }
}
