using Nuclei.Core.Settings;

namespace Nuclei.Cli;

/// <summary>
/// The command line names each setting in a message by its flag: <c>--channel</c>; a setting without a flag, whose
/// name is its INI key, by that key (given as <c>param.pretrained=False</c>).
/// </summary>
internal static class SettingFlags
{
    public static readonly SettingNames Names = new(s => s.Name == s.IniKey ? s.Name : "--" + s.Name);
}
