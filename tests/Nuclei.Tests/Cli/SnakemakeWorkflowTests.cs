using System.Diagnostics;
using Nuclei.Cli.Commands;
using Nuclei.Core.Output;
using Nuclei.Tests.Safety;

namespace Nuclei.Tests.Cli;

/// <summary>workflow/Snakefile run locally (shards, then merge) writes what one `nuclei segment` over the same images writes.</summary>
public sealed class SnakemakeWorkflowTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-snakemake-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [SkippableFact]
    public void The_workflow_run_locally_equals_one_segment_run()
    {
        Skip.IfNot(OnPath("snakemake"), "snakemake is not installed (apt-get install snakemake); skipped");
        string images = Path.Combine(dir, "images");
        SyntheticImages.Write(images, 4);
        const string args = "--method classical --measure --export geojson";
        string nuclei = $"dotnet {Path.Combine(AppContext.BaseDirectory, "nuclei.dll")}";

        var (exit, log) = Run("snakemake", "-s", Path.Combine(TestData.RepoRoot, "workflow", "Snakefile"), "--cores", "1",
            "--directory", dir, "--config", $"nuclei={nuclei}", $"inputs=[\"{images}\"]", "shards=3",
            $"segment_args={args}", "out=merged", "work=shards");
        Assert.True(exit == 0, log);

        string single = Path.Combine(dir, "single");
        Assert.Equal(0, SegmentCommand.Run(new([images], single, Segmenter: new() { Method = SegmentationMethod.Classical }, Csv: Path.Combine(single, "submission.csv"),
            Outputs: new OutputOptions(Measure: true, Exports: ExportFormat.GeoJson))));
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(dir, "shards"), "shard-*-of-3").Length);
        foreach (string name in new[] { "summary.csv", "submission.csv", "measurements.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(single, name)), File.ReadAllText(Path.Combine(dir, "merged", name)));
        foreach (string map in Directory.EnumerateFiles(single, "*.labels.png"))
            Assert.Equal(OutputFolder.Sha256(map), OutputFolder.Sha256(Path.Combine(dir, "merged", Path.GetFileName(map))));
    }

    static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));

    static (int Exit, string Log) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
