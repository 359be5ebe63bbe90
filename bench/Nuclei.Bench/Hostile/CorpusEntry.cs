using System.Globalization;
using System.Text;

namespace Nuclei.Bench.Hostile;

/// <summary>
/// One file of the hostile corpus and what the runner (bench/hostile-corpus.sh) is to expect of it.
/// <see cref="Role"/>: <c>image</c> (read as an image) or <c>labels</c> (read as a label map).
/// <see cref="Expect"/>: <c>refuse</c> (every reader must give a clear error), <c>read</c> (every reader must read it, and
/// a control must be segmented into <see cref="Nuclei"/> nuclei), <c>either</c> (a clear error or a correct result),
/// <c>refuse-as-labels</c> (the label-map readers must refuse it; as an image either), <c>refuse-as-stack</c> (its plane
/// metadata lies: the readers that follow plane metadata must refuse it; those that read page 1 only may read that page)
/// or <c>refuse-when-decoded</c> (its pixels are the lie: every reader that decodes must refuse it; one that reads the
/// headers only, the server's /api/inspect, may list its planes).
/// </summary>
internal sealed record CorpusEntry(string Key, string FileName, string Family, string Role, string Expect, string Lie, Action<string> Create, int? Nuclei = null)
{
    public const string Header = "key\tfile\tfamily\trole\texpect\tnuclei\tlie";

    /// <summary>The manifest line: tab-separated, the file name escaped (it may hold a tab or a line break).</summary>
    public string ManifestLine() =>
        string.Join('\t', Key, Escape(FileName), Family, Role, Expect, Nuclei?.ToString(CultureInfo.InvariantCulture) ?? "-", Lie);

    /// <summary>
    /// Control characters and backslashes as <c>\n</c>, <c>\t</c>, <c>\r</c>, <c>\\</c> or <c>\xHH</c>, which bash's
    /// <c>printf '%b'</c> turns back into the name.
    /// </summary>
    public static string Escape(string name)
    {
        var text = new StringBuilder();
        foreach (char c in name)
            text.Append(c switch
            {
                '\\' => @"\\",
                '\n' => @"\n",
                '\t' => @"\t",
                '\r' => @"\r",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        return text.ToString();
    }
}
