using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Nuclei.Tests.Packaging;

/// <summary>
/// What `dotnet publish src/Nuclei.Cli -r RID` puts in its folder, asked of MSBuild without compiling or copying
/// (the publish's own file list, ResolvedFileToPublish): each platform's native libraries, and no other platform's.
/// Needs each platform's packages restored (from the cache or a NuGet source); skipped with the restore's error otherwise.
/// </summary>
// restores the repository's projects for another platform: not beside the other tests that restore and build them
[Collection("dotnet-pack")]
public sealed class PlatformPublishTests(ITestOutputHelper output)
{
    /// <summary>The natives each platform needs: libtorch and its TorchSharp glue, ONNX Runtime, libvips, and OpenCV where served.</summary>
    public static TheoryData<string, string[], string> Platforms => new()
    {
        { "linux-x64", ["libtorch_cpu.so", "libLibTorchSharp.so", "libonnxruntime.so", "libvips.so.42", "libOpenCvSharpExtern.so"], ".dll" },
        { "win-x64", ["torch_cpu.dll", "LibTorchSharp.dll", "onnxruntime.dll", "libvips-42.dll"], ".so" },
        { "osx-arm64", ["libtorch_cpu.dylib", "libLibTorchSharp.dylib", "libonnxruntime.dylib", "libvips.42.dylib"], ".so" },
    };

    [SkippableTheory]
    [MemberData(nameof(Platforms))]
    public void A_publish_holds_its_platforms_native_libraries_and_no_others(string rid, string[] needed, string foreignSuffix)
    {
        var files = PublishedFiles(rid);
        var natives = files.Where(f => f.AssetType == "native").Select(f => f.RelativePath).Order(StringComparer.Ordinal).ToList();
        output.WriteLine($"{rid}: {natives.Count} native file(s): {string.Join(", ", natives)}");
        foreach (string lib in needed) Assert.Contains(lib, natives);
        Assert.DoesNotContain(natives, n => n.Contains('/') || n.Contains('\\'));          // flat, no runtimes/<rid>/ folders
        Assert.DoesNotContain(natives, n => n.EndsWith(foreignSuffix, StringComparison.Ordinal));
        Assert.Contains(files, f => f.RelativePath.Replace('\\', '/') == "models/default.nck");
    }

    sealed record Published(string RelativePath, string AssetType);

    /// <summary>The publish's file list for <paramref name="rid"/>; skips the test when that platform's packages cannot be restored.</summary>
    List<Published> PublishedFiles(string rid)
    {
        string project = Path.Combine(TestData.RepoRoot, "src", "Nuclei.Cli");
        var (exit, stdout, stderr) = Dotnet("msbuild", project, "-restore", "-t:ComputeResolvedFilesToPublishList", "-p:Configuration=Release",
            $"-p:RuntimeIdentifier={rid}", "-getItem:ResolvedFileToPublish", "-nologo", "-v:q");
        string said = stdout + stderr;
        Skip.If(exit != 0 && (said.Contains("NU1101") || said.Contains("NU1301") || said.Contains("NU1102")),
            $"the {rid} packages cannot be restored here (offline, or not served): {said.Split('\n').FirstOrDefault(l => l.Contains("NU1"))?.Trim()}");
        Assert.True(exit == 0, $"dotnet msbuild for {rid} exited {exit}:\n{said}");
        using var json = JsonDocument.Parse(stdout[stdout.IndexOf('{')..]);
        return json.RootElement.GetProperty("Items").GetProperty("ResolvedFileToPublish").EnumerateArray()
            .Select(i => new Published(i.GetProperty("RelativePath").GetString()!,
                i.TryGetProperty("AssetType", out var t) ? t.GetString() ?? "" : ""))
            .ToList();
    }

    static (int Exit, string Out, string Err) Dotnet(params string[] args) => DotnetCli.Run(TestData.RepoRoot, args);
}
