using System.Globalization;
using System.Text;

namespace Nuclei.Core;

/// <summary>
/// Text taken from a file we did not write (a checkpoint's model name, configuration, …), made safe to put in a
/// message: control and format characters (ANSI escape sequences, bidirectional overrides, new lines) become '?',
/// and long text is cut, so a hostile file can neither drive the terminal nor flood it.
/// </summary>
internal static class UntrustedText
{
    public const int DefaultMaxLength = 80;

    public static string Clean(string? text, int maxLength = DefaultMaxLength)
    {
        if (text is null) return "(null)";
        var sb = new StringBuilder(Math.Min(text.Length, maxLength) + 24);
        int taken = 0;
        for (int i = 0; i < text.Length && taken < maxLength; i++, taken++)
        {
            char c = text[i];
            var category = char.GetUnicodeCategory(c);
            bool unsafeChar = category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned;
            sb.Append(unsafeChar ? '?' : c);
        }
        if (taken < text.Length) sb.Append(CultureInfo.InvariantCulture, $"… ({text.Length} characters)");
        return sb.ToString();
    }
}
