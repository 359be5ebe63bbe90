using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit.Abstractions;

namespace Nuclei.Tests.Cli;

/// <summary>
/// The dotnet tool package end to end: pack into a temporary feed, install with --tool-path, and segment the samples
/// from a working directory outside the repository with the bundled model.
/// </summary>
// not beside the packed sample test: both restore and build the same projects, and concurrent builds collide on obj/
[Collection("dotnet-pack")]
public sealed class ToolPackageTests(ITestOutputHelper output) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-tool-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [SkippableFact]
    public void The_packed_tool_installs_and_segments_the_samples_from_another_folder()
    {
        string project = Path.Combine(TestData.RepoRoot, "src", "Nuclei.Cli");
        Skip.IfNot(File.Exists(Path.Combine(TestData.RepoRoot, "models", "default.nck")),
            "models/default.nck is not in the repository, so the tool package cannot carry it; skipped");
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.OSArchitecture == Architecture.X64,
            "the tool package carries linux-x64 native libraries only; skipped");

        string feed = Path.Combine(dir, "feed"), tools = Path.Combine(dir, "tools"), work = Path.Combine(dir, "elsewhere");
        Directory.CreateDirectory(work);
        Run("dotnet", dir, "pack", project, "-c", "Release", "-o", feed);
        string version = PackageVersion(feed);

        // a config with only the feed, so the install can neither reach nor prefer another source
        string config = Path.Combine(dir, "nuget.config");
        File.WriteAllText(config, $"""
            <configuration><packageSources><clear /><add key="feed" value="{feed}" /></packageSources></configuration>
            """);
        Run("dotnet", dir, "tool", "install", "nuclei", "--tool-path", tools, "--configfile", config, "--version", version);

        string outDir = Path.Combine(dir, "out");
        Run(Path.Combine(tools, "nuclei"), work, "segment", TestData.SamplesDir, "--out", outDir);
        Assert.Equal(4, Directory.GetFiles(outDir, "*.labels.png").Length);
    }

    /// <summary>The version in the file name of the one nuclei package in the feed (nuclei.VERSION.nupkg).</summary>
    static string PackageVersion(string feed)
    {
        string package = Assert.Single(Directory.GetFiles(feed, "nuclei.*.nupkg"));
        return Path.GetFileNameWithoutExtension(package)["nuclei.".Length..];
    }

    /// <summary>Runs a program to completion and fails the test, with its output, unless it exits 0.</summary>
    void Run(string program, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("NUCLEI_MODEL");                  // the bundled model, not the developer's
        psi.Environment["DOTNET_ROOT"] = DotnetRoot();            // the installed tool's launcher finds this runtime
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        output.WriteLine($"$ {program} {string.Join(' ', args)}\n{stdout.Result}{stderr}");
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(program)} {args[0]} exited {process.ExitCode}:\n{stderr}\n{stdout.Result}");
    }

    /// <summary>The .NET installation running the tests (…/shared/Microsoft.NETCore.App/VERSION/ is three levels down).</summary>
    static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
}
