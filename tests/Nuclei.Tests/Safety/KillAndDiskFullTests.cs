using System.Diagnostics;
using Xunit.Abstractions;

namespace Nuclei.Tests.Safety;

/// <summary>
/// `nuclei segment` as a child process killed with SIGKILL at random moments and resumed, and on a real full disk
/// (a 200 KB tmpfs, when the tests run as root and may mount one).
/// </summary>
public sealed class KillAndDiskFullTests(ITestOutputHelper output) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-kill-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Runs the CLI; with <paramref name="killDelay"/>, kills it (SIGKILL) that long after the batch starts.</summary>
    internal static (int Exit, string Err) RunCli(IEnumerable<string> args, TimeSpan? killDelay = null) => RunTimed(args, killDelay).Run;

    /// <summary>As <see cref="RunCli"/>, also returning how long the batch ran (from its start line to the exit).</summary>
    static ((int Exit, string Err) Run, TimeSpan Batch) RunTimed(IEnumerable<string> args, TimeSpan? killDelay = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nuclei.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = new System.Text.StringBuilder();
        var batchStarted = new ManualResetEventSlim();
        var batch = new Stopwatch();
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (err) err.AppendLine(e.Data);
            if (e.Data.StartsWith("nuclei segment:")) { batch.Start(); batchStarted.Set(); } // images come next
        };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        if (killDelay is { } delay && batchStarted.Wait(TimeSpan.FromMinutes(2)) && !p.WaitForExit(delay))
            p.Kill(); // SIGKILL: no cleanup of any kind
        p.WaitForExit();
        batch.Stop();
        lock (err) return ((p.ExitCode, err.ToString()), batch.Elapsed);
    }

    /// <summary>Kill rounds: NUCLEI_KILL_ROUNDS (20 for a thorough run) or 3 in the ordinary suite.</summary>
    static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("NUCLEI_KILL_ROUNDS"), out int n) ? n : 3;

    [Fact]
    public void A_batch_killed_at_a_random_moment_then_resumed_lists_every_image_exactly_once()
    {
        string images = Path.Combine(dir, "images");
        var ids = SyntheticImages.Write(images, 10, size: 192).Select(p => Path.GetFileNameWithoutExtension(p)!).ToList();
        var before = SyntheticImages.Checksums(images);
        string[] Args(string to) => ["segment", images, "--out", to, "--csv", Path.Combine(to, "submission.csv"), "--method", "classical", "--policy", "rw", "--resume"];

        var ((timingExit, _), full) = RunTimed(Args(Path.Combine(dir, "timing")));
        Assert.Equal(0, timingExit);
        var rng = new Random(Environment.TickCount);
        var doneAtKill = new List<int>();
        for (int round = 0; round < Rounds; round++)
        {
            string outDir = Path.Combine(dir, $"out{round}"), csv = Path.Combine(outDir, "submission.csv");
            var delay = TimeSpan.FromMilliseconds(rng.NextDouble() * full.TotalMilliseconds);
            var (exit, _) = RunCli(Args(outDir), delay);
            doneAtKill.Add(Directory.EnumerateFiles(outDir, "*.labels.png").Count());
            OutputFolder.AssertEveryImageDecodes(outDir); // whatever the moment, no broken file under a final name

            var (last, err) = RunCli(Args(outDir));
            Assert.True(last == 0, err);
            Assert.Equal(ids, OutputFolder.Ids(Path.Combine(outDir, "summary.csv")));
            var csvIds = OutputFolder.Ids(csv);
            Assert.Equal(ids, csvIds.Distinct());
            Assert.Equal(csvIds, csvIds.Order(StringComparer.Ordinal)); // each image's rows together: it appears once
            Assert.Equal(2 * ids.Count, OutputFolder.AssertEveryImageDecodes(outDir)); // label map + overlay each
            OutputFolder.AssertNoTemporaries(outDir);
            output.WriteLine($"round {round + 1}: killed {delay.TotalMilliseconds:F0} ms into the batch (exit {exit}) with {doneAtKill[^1]} of 10 done; resumed: all 10 once");
        }
        Assert.Equal(before, SyntheticImages.Checksums(images));
        output.WriteLine($"{Rounds} rounds; images done when killed: {string.Join(" ", doneAtKill)}");
    }

    [SkippableFact]
    public void On_a_full_disk_every_output_decodes_the_summary_lists_the_written_images_and_the_failures_are_named()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "needs root to mount a small tmpfs; the FullDisk seam tests cover the rest");
        string mount = Path.Combine(dir, "tmpfs");
        Directory.CreateDirectory(mount);
        Skip.IfNot(Run("mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", mount) == 0, "cannot mount a tmpfs here");
        try
        {
            string outDir = Path.Combine(mount, "out");
            var before = SyntheticImages.Checksums(TestData.SamplesDir);
            var (exit, err) = RunCli(["segment", TestData.SamplesDir, "--out", outDir, "--csv", Path.Combine(outDir, "sub.csv"), "--method", "classical"]);
            output.WriteLine(err);

            Assert.Equal(1, exit);
            Assert.Contains("No space left on device", err);
            OutputFolder.AssertNoTemporaries(outDir);
            OutputFolder.AssertEveryImageDecodes(outDir);
            var written = Directory.EnumerateFiles(outDir, "*.labels.png").Select(f => Path.GetFileName(f)[..^".labels.png".Length])
                .Order(StringComparer.Ordinal).ToList();
            Assert.InRange(written.Count, 1, 3);
            foreach (string id in written) Assert.True(File.Exists(Path.Combine(outDir, id + ".overlay.png")), id);
            if (File.Exists(Path.Combine(outDir, "summary.csv"))) Assert.Equal(written, OutputFolder.Ids(Path.Combine(outDir, "summary.csv")));
            Assert.Equal(before, SyntheticImages.Checksums(TestData.SamplesDir));
        }
        finally
        {
            Unmount(mount);
        }
    }

    /// <summary>
    /// Unmounts the test's tmpfs. Another process walking the temporary folder at that moment (a second test run beside
    /// this one) makes umount fail with "target is busy": retried, then detached lazily, so the folder can be deleted.
    /// </summary>
    static void Unmount(string mount)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            if (Run("umount", mount) == 0) return;
            Thread.Sleep(200);
        }
        Run("umount", "-l", mount);
    }

    static int Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception) { return -1; } // no such program
    }
}
