using CsvHelper;

namespace Nuclei.Core.IO;

/// <summary>
/// Writes the CSVs we produce (summary, scores, submission, measurements) through CsvHelper: RFC 4180 quoting (a field with a
/// comma, quote or line break is quoted) and, as OWASP's "CSV Injection" page recommends, a text field that starts
/// with <c>= + - @</c>, tab or CR gets a leading <c>'</c> so a spreadsheet shows it as text instead of running it.
/// <see cref="ReadText"/> undoes that escape when we read our own files back.
/// </summary>
internal static class CsvTable
{
    const char InjectionEscape = '\'';
    static readonly char[] InjectionCharacters = ['=', '+', '-', '@', '\t', '\r'];

    static CsvWriterOptions Options => new() { Injection = CsvInjection.Escape, NewLine = "\n" };

    /// <summary>
    /// The CSV text of <paramref name="header"/> and <paramref name="rows"/>. A field is text (a string, escaped as
    /// above), a number (int, or double in invariant "G9": numbers are never escaped, so -0.5 stays a number) or null (empty).
    /// </summary>
    public static string Format(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        using var text = new StringWriter();
        using (var csv = Open(text, header))
            foreach (var row in rows) WriteRow(csv, row);
        return text.ToString();
    }

    /// <summary>A writer of this dialect over <paramref name="text"/>, header written: for tables streamed row by row.</summary>
    public static CsvWriter Open(TextWriter text, IReadOnlyList<string> header)
    {
        var csv = CsvWriter.Create(text, Options, true);
        csv.WriteHeader(header.ToArray());
        return csv;
    }

    /// <summary>One row, fields as <see cref="Format"/> takes them.</summary>
    public static void WriteRow(CsvWriter csv, IReadOnlyList<object?> row)
    {
        foreach (object? field in row) WriteField(csv, field);
        csv.EndRecord();
    }

    static void WriteField(CsvWriter csv, object? field)
    {
        switch (field)
        {
            case null: csv.WriteField((string?)null); break;
            case string s: csv.WriteField(s); break;
            case int i: csv.WriteField(i); break;
            case double d: csv.WriteField(d, "G9"); break;
            default: throw new ArgumentException($"a CSV field must be text, int, double or null, not {field.GetType().Name}");
        }
    }

    /// <summary>Writes the table atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows) =>
        AtomicFile.WriteAllText(path, Format(header, rows));

    /// <summary>A text field as written by <see cref="Format"/>, with the formula escape removed.</summary>
    public static string ReadText(string field) =>
        field.Length >= 2 && field[0] == InjectionEscape && Array.IndexOf(InjectionCharacters, field[1]) >= 0 ? field[1..] : field;
}
