using System.Reflection;

namespace Nuclei.Core.Output;

/// <summary>
/// The tool's version as built (with the commit it was built from, when known), for every record the tool writes:
/// run.json of `segment` and of the page's zip, the training set's provenance, ONNX files. One version for all the
/// repository's assemblies (Directory.Build.props), so any of them names the same build.
/// </summary>
internal static class ToolVersion
{
    public static string Current { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
