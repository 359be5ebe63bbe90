namespace Nuclei.Core.Settings;

/// <summary>
/// A choice a user makes (a library option, a field of the server's page, a command-line flag), as an error message
/// names it: the message keeps the setting apart from its text and each front end names it its own way
/// (<see cref="SettingNames"/>). The known settings are declared once, in Setting.Catalogue.cs.
/// </summary>
/// <param name="Name">the front ends' name: the command-line flag without its dashes, the server's form field</param>
/// <param name="Property">the library member that holds it, e.g. <c>SegmenterOptions.Planes</c></param>
/// <param name="IniKey">its <c>section.key</c> in a configuration file, where it has one</param>
public sealed partial record Setting(string Name, string Property, string? IniKey = null)
{
    /// <summary>The library's name for it (<see cref="SettingNames.Library"/>).</summary>
    public override string ToString() => SettingNames.Library.Of(this);
}
