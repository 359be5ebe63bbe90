using System.Runtime.CompilerServices;
using System.Text;

namespace Nuclei.Core.Settings;

/// <summary>
/// Builds a <see cref="SettingMessage"/> from an interpolated string: a <see cref="Setting"/> (or a
/// <see cref="SettingMessage"/>) in a hole stays a placeholder, every other value is formatted as string
/// interpolation formats it (current culture, alignment, format), so a message without settings reads the same.
/// </summary>
[InterpolatedStringHandler]
public ref struct SettingMessageHandler
{
    readonly List<object> _parts;
    readonly StringBuilder _text;

    public SettingMessageHandler(int literalLength, int formattedCount)
    {
        _parts = [];
        _text = new StringBuilder(literalLength + 16 * formattedCount);
    }

    public readonly void AppendLiteral(string text) => _text.Append(text);

    public readonly void AppendFormatted(Setting setting)
    {
        Flush();
        _parts.Add(setting);
    }

    public readonly void AppendFormatted(SettingMessage message)
    {
        Flush();
        _parts.AddRange(message.Parts);
    }

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, 0, null);

    public readonly void AppendFormatted<T>(T value, string? format) => AppendFormatted(value, 0, format);

    public readonly void AppendFormatted<T>(T value, int alignment) => AppendFormatted(value, alignment, null);

    public readonly void AppendFormatted<T>(T value, int alignment, string? format)
    {
        string text = value is IFormattable f ? f.ToString(format, null) : value?.ToString() ?? "";
        _text.Append(alignment >= 0 ? text.PadLeft(alignment) : text.PadRight(-alignment));
    }

    public readonly SettingMessage ToMessage()
    {
        Flush();
        return new SettingMessage(_parts.ToList());
    }

    readonly void Flush()
    {
        if (_text.Length == 0) return;
        _parts.Add(_text.ToString());
        _text.Clear();
    }
}
