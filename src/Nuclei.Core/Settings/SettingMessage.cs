namespace Nuclei.Core.Settings;

/// <summary>
/// A message that names settings: its text with each <see cref="Setting"/> kept as a placeholder, so a front end
/// renders it with its own names (<see cref="Render"/>). Written as an interpolated string whose holes may be settings
/// (see <see cref="SettingMessageHandler"/>).
/// </summary>
public sealed class SettingMessage
{
    readonly IReadOnlyList<object> _parts; // each a string or a Setting

    internal SettingMessage(IReadOnlyList<object> parts) => _parts = parts;

    internal IReadOnlyList<object> Parts => _parts;

    /// <summary>A message that names no setting.</summary>
    public static SettingMessage Plain(string text) => new([text]);

    /// <summary>A message written as an interpolated string whose <see cref="Setting"/> holes stay settings.</summary>
    public static SettingMessage Of(ref SettingMessageHandler message) => message.ToMessage();

    /// <summary>The settings, separated by <paramref name="separator"/>: a list of them inside a message.</summary>
    public static SettingMessage Join(string separator, IEnumerable<Setting> settings)
    {
        var parts = new List<object>();
        foreach (var s in settings)
        {
            if (parts.Count > 0) parts.Add(separator);
            parts.Add(s);
        }
        return new SettingMessage(parts);
    }

    /// <summary>The settings the message names, in order.</summary>
    public IReadOnlyList<Setting> Settings => _parts.OfType<Setting>().ToList();

    public string Render(SettingNames names) => string.Concat(_parts.Select(p => p as string ?? names.Of((Setting)p)));

    /// <summary>The message with the library's names (<see cref="SettingNames.Library"/>).</summary>
    public override string ToString() => Render(SettingNames.Library);
}
