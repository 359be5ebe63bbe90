using System.CommandLine;
using System.CommandLine.Parsing;

namespace Nuclei.Cli;

/// <summary>
/// A mistyped option given to a command that takes paths (`segment --diamter 30 ...`) is parsed as one more input and
/// would be reported as a missing file; this finds such tokens first and names the closest known option.
/// A token that is an existing file or folder is an input, whatever its first character.
/// </summary>
static class UnknownOptions
{
    /// <summary>The message for the first argument token that looks like an option, or null when there is none.</summary>
    public static string? Find(ParseResult parse)
    {
        var command = parse.CommandResult;
        foreach (var token in command.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value))
        {
            if (!LooksLikeOption(token) || File.Exists(token) || Directory.Exists(token)) continue;
            string name = token.Split('=', 2)[0];
            string? closest = Closest(name, KnownNames(command.Command));
            return $"unknown option '{name}' for `{CommandPath(command.Command)}`" + (closest is null ? "" : $"; did you mean {closest}?") + " (--help lists them)";
        }
        return null;
    }

    static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && (char.IsLetter(token[1]) || token[1] == '-');

    static IEnumerable<string> KnownNames(Command command)
    {
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            foreach (var o in c.Options)
                if (ReferenceEquals(c, command) || o.Recursive)
                    foreach (string n in o.Aliases.Append(o.Name)) yield return n;
    }

    static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c is RootCommand ? "nuclei" : c.Name);
        return string.Join(' ', names);
    }

    /// <summary>The known name nearest by edit distance, if near enough to be a typo (at most a third of its length).</summary>
    static string? Closest(string name, IEnumerable<string> known) =>
        known.Distinct().Select(k => (Name: k, Distance: EditDistance(name, k)))
            .Where(k => k.Distance <= Math.Max(2, k.Name.Length / 3))
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Select(k => k.Name).FirstOrDefault();

    /// <summary>Levenshtein distance by the Wagner-Fischer dynamic programme (Wagner &amp; Fischer, J. ACM 21(1), 1974), one row kept.</summary>
    static int EditDistance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
