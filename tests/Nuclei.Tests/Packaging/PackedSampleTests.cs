using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Nuclei.Tests.Packaging;

/// <summary>
/// The Nuclei NuGet package as a consumer gets it: `dotnet pack src/Nuclei`, then samples/console, copied outside the
/// repository, restored from that package and run on a sample image, prints the count NucleiSegmenter gives here.
/// </summary>
// not beside the tool package test: both restore and build the same projects, and concurrent builds collide on obj/
[Collection("dotnet-pack")]
public sealed class PackedSampleTests(ITestOutputHelper output) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-packed-").FullName;
    // a version no earlier run extracted into the NuGet cache, so the sample restores this very package
    readonly string version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    [Fact]
    public void The_console_sample_built_against_the_packed_package_prints_the_in_process_nucleus_count()
    {
        string image = Path.Combine(TestData.SamplesDir, "4217e25defac-crop-64-512", "images", "4217e25defac-crop-64-512.png");
        string sample = Path.Combine(dir, "console");
        CopySample(Path.Combine(TestData.RepoRoot, "samples", "console"), sample);

        // Debug: the configuration the test build already compiled, so packing only adds the package step
        Dotnet("pack", Path.Combine(TestData.RepoRoot, "src", "Nuclei"), "-c", "Debug", "-o", Path.Combine(sample, "packages"), $"-p:Version={version}");
        string printed = Dotnet("run", "--project", sample, $"-p:NucleiVersion={version}", "--", image);

        var match = Regex.Match(printed, @"^nuclei: (\d+)$", RegexOptions.Multiline);
        Assert.True(match.Success, "the sample printed no 'nuclei: N' line:\n" + printed);
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions());
        int inProcess = segmenter.Segment(image).Count;
        output.WriteLine($"sample printed {match.Groups[1].Value} nuclei; in process {inProcess}");
        Assert.True(inProcess > 0, "a test of nothing: no nuclei found in the sample image");
        Assert.Equal(inProcess, int.Parse(match.Groups[1].Value));
    }

    static void CopySample(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    /// <summary>Runs the dotnet CLI and returns its standard output; fails the test with both outputs when it fails.</summary>
    string Dotnet(params string[] args)
    {
        var (exit, stdout, stderr) = DotnetCli.Run(dir, args);
        Assert.True(exit == 0, $"dotnet {string.Join(' ', args)} exited {exit}:\n{stdout}\n{stderr}");
        return stdout;
    }

    public void Dispose()
    {
        Directory.Delete(dir, recursive: true);
        // the package this test extracted into the NuGet cache (nobody else uses its version)
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string extracted = Path.Combine(cache, "nuclei.api", version);
        if (Directory.Exists(extracted)) Directory.Delete(extracted, recursive: true);
    }
}
