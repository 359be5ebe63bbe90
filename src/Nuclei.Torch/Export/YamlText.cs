using System.Collections;
using System.Globalization;
using System.Text;

namespace Nuclei.Torch.Export;

/// <summary>A YAML mapping in the order its keys are added (rdf.yaml reads best in the spec's order).</summary>
internal sealed class YamlMap : List<(string Key, object Value)>
{
    public void Add(string key, object value) => Add((key, value));
}

/// <summary>
/// Block-style YAML 1.2 of maps (<see cref="YamlMap"/>), lists and scalars: every string double-quoted and escaped
/// (YAML 1.2 §7.3.1), so that no text from a checkpoint or a file name is read as another type or as structure;
/// numbers in invariant culture, shortest round-trip form. Enough for rdf.yaml; no YAML library is referenced.
/// </summary>
internal static class YamlText
{
    public static string Of(YamlMap document)
    {
        var sb = new StringBuilder();
        WriteMap(sb, document, 0);
        return sb.ToString();
    }

    static void WriteMap(StringBuilder sb, YamlMap map, int indent)
    {
        foreach (var (key, value) in map)
        {
            sb.Append(' ', indent).Append(key).Append(':');
            if (IsScalar(value) || IsEmpty(value)) sb.Append(' ').Append(Scalar(value)).Append('\n');
            else
            {
                sb.Append('\n');
                WriteBlock(sb, value, indent + 2);
            }
        }
    }

    static void WriteBlock(StringBuilder sb, object value, int indent)
    {
        if (value is YamlMap map) { WriteMap(sb, map, indent); return; }
        foreach (var item in (IEnumerable)value)
        {
            if (IsScalar(item!)) { sb.Append(' ', indent).Append("- ").Append(Scalar(item!)).Append('\n'); continue; }
            var inner = new StringBuilder();
            WriteBlock(inner, item!, indent + 2);   // a map or list in a list: its first line follows the dash
            sb.Append(' ', indent).Append("- ").Append(inner.ToString(indent + 2, inner.Length - indent - 2));
        }
    }

    static bool IsScalar(object value) => value is string or bool or int or long or double or float;

    static bool IsEmpty(object value) => value is IEnumerable e and not string && !e.GetEnumerator().MoveNext();

    static string Scalar(object value) => value switch
    {
        string s => Quoted(s),
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        float f when float.IsFinite(f) => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        IEnumerable => value is YamlMap ? "{}" : "[]",
        _ => throw new ArgumentException($"no YAML scalar for {value}"),
    };

    static string Quoted(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' or '\u007f' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }
}
