namespace Nuclei.Core.Settings;

/// <summary>How a front end names the <see cref="Setting"/>s in a message: the CLI by its flags, the server by its form fields.</summary>
public sealed class SettingNames(Func<Setting, string> nameOf)
{
    /// <summary>The library's own names: the INI key where the setting has one, else the library member.</summary>
    public static readonly SettingNames Library = new(s => s.IniKey ?? s.Property);

    public string Of(Setting setting) => nameOf(setting);
}
