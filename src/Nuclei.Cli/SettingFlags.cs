using Nuclei.Core.Settings;

namespace Nuclei.Cli;

/// <summary>The command line names each setting in a message by its flag: <c>--channel</c>.</summary>
public static class SettingFlags
{
    public static readonly SettingNames Names = new(s => "--" + s.Name);
}
