using System.Reflection;

namespace Nuclei.Server;

/// <summary>The tool's version as built (with the commit it was built from, when known), for the records the server's downloads carry.</summary>
internal static class ToolVersion
{
    public static string Current { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
