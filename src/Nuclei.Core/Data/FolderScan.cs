using System.IO.Enumeration;
using Nuclei.Core.Settings;

namespace Nuclei.Core.Data;

/// <summary>
/// How a folder given as input is searched: only its own files (default) or, <see cref="Recursive"/>, its
/// sub-folders too; and, when <see cref="Patterns"/> are given, only the images whose name matches one of them.
/// A pattern holds <c>*</c> and <c>?</c> wildcards (.NET's <see cref="FileSystemName.MatchesSimpleExpression"/>,
/// case-insensitive); one with a <c>/</c> is matched against the path relative to the folder (<c>sub/*.tif</c>).
/// </summary>
internal sealed record FolderScan(bool Recursive = false, IReadOnlyList<string>? Patterns = null)
{
    public static readonly FolderScan Default = new();

    /// <summary>True when <paramref name="relativePath"/> (with <c>/</c> separators) passes the patterns (all pass without any).</summary>
    public bool Matches(string relativePath)
    {
        if (Patterns is not { Count: > 0 }) return true;
        string name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return Patterns.Any(p => FileSystemName.MatchesSimpleExpression(p, p.Contains('/') ? relativePath : name, ignoreCase: true));
    }

    /// <summary>Checks the patterns as typed.</summary>
    /// <exception cref="NucleiInputException">an empty pattern.</exception>
    public FolderScan Validated()
    {
        if (Patterns?.Any(string.IsNullOrWhiteSpace) == true) throw new NucleiInputException(null, $"{Setting.Pattern} needs a file name pattern such as *.tif");
        return this;
    }
}
