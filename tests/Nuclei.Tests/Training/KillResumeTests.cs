using System.Diagnostics;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nuclei.Tests.Training;

/// <summary>`nuclei train` as a child process, killed (SIGKILL) mid-run and resumed: it ends where an uninterrupted run ends.</summary>
[Collection("torch-training")]
public class KillResumeTests(ITestOutputHelper output)
{
    static string CliDll => Path.Combine(AppContext.BaseDirectory, "nuclei.dll");

    static Process StartCli(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    [Fact]
    public void KilledDuringTrainingThenResumedEndsLikeAnUninterruptedRun()
    {
        string root = SyntheticNuclei.TempDir("kill");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            var overrides = SyntheticNuclei.TinyRun(epochs: 6).Concat(new[] { "train.epoch_size=12" }).ToArray();
            string straight = Path.Combine(root, "straight"), killed = Path.Combine(root, "killed");

            // Uninterrupted reference run (in process).
            Trainer.Run(new TrainingRequest(data, straight, ConfigurationLoader.Load(null, overrides), ResumeMode.Fresh), new PlainTrainingObserver(TextWriter.Null));

            // Child process killed once a checkpoint exists, part-way through a later epoch.
            var args = new[] { "train", "--data", data, "--out", killed }.Concat(overrides);
            using (var p = StartCli(args))
            {
                var clock = Stopwatch.StartNew();
                // killed as soon as the first checkpoint is seen: the run is then in its next epoch, and a fixed delay
                // could outlast the whole tiny run on a machine where the test thread waits for a core
                while (!File.Exists(Path.Combine(killed, CheckpointPointer.FileName)) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(20);
                Assert.False(p.HasExited, "the run finished before it could be killed");
                p.Kill();                       // SIGKILL: no cleanup of any kind
                p.WaitForExit();
            }
            string? pointer = CheckpointPointer.Read(killed);
            Assert.NotNull(pointer);
            int killedAfter = Checkpoint.ReadInfo(pointer!).Info.Epoch;
            output.WriteLine($"killed after epoch {killedAfter} was checkpointed");
            Assert.InRange(killedAfter, 1, 5);

            using (var p = StartCli(new[] { "train", "--data", data, "--out", killed, "--resume" }.Concat(overrides)))
            {
                Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)));
                Assert.Equal(0, p.ExitCode);
            }
            var epochs = File.ReadAllLines(Path.Combine(killed, "log.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0])).ToArray();
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, epochs);          // each epoch logged once, in order
            using var a = Checkpoint.Load(Path.Combine(straight, "ckpt-6.nck")).Net;
            using var b = Checkpoint.Load(Path.Combine(killed, "ckpt-6.nck")).Net;
            var sa = a.state_dict(); var sb = b.state_dict();
            double max = sa.Keys.Max(k => (sa[k].to_type(ScalarType.Float64) - sb[k].to_type(ScalarType.Float64)).abs().max().item<double>());
            output.WriteLine($"largest weight difference after kill + resume: {max:G4}");
            Assert.Equal(0.0, max);
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }
}
