using System.Diagnostics;
using System.Globalization;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace Nuclei.Tests.Training;

/// <summary>
/// Training stays finite on every CPU code path this machine can take, whichever machine CI lands on: libtorch's
/// kernels limited to its default (no vector extensions) or AVX2 set, oneDNN limited to AVX2, float32 and bfloat16, one
/// and two threads. Each case is a `nuclei train` process, since the kernel choice is read when libtorch loads.
/// </summary>
[Collection("torch-training")]
public class CpuPathTests(ITestOutputHelper output)
{
    /// <summary>The smoke run of the committed samples (colour jitter and channel shuffle on, as by default).</summary>
    static string[] SmokeRun(string outDir, string precision, int threads) =>
    [
        "train", "--data", TestData.SamplesDir, "--out", outDir, "param.model=camunet", "camunet.base_width=4", "camunet.depth=2",
        "param.width=32", "param.learn_rate=0.01", "train.n_epoch=8", "train.n_batch=2", "train.epoch_size=4",
        "train.warmup_epochs=0.0", $"train.n_thread={threads}", "train.n_worker=2", "dataset.cv_ratio=0.0",
        "pre.rotate=False", "pre.elastic_distortion=False", $"train.precision={precision}",
        // 8 steps of 2 crops teach nothing: only finiteness is tested, so the dead model is not a failure here
        "train.fail_if_unlearned=False",
    ];

    [SkippableTheory]
    [InlineData("default", "fp32", 1)]
    [InlineData("default", "bf16", 2)]
    [InlineData("avx2", "fp32", 2)]
    [InlineData("avx2", "bf16", 1)]
    [InlineData("", "fp32", 2)]
    public void TheSmokeRunIsFiniteOnEachKernelSet(string atenCapability, string precision, int threads)
    {
        Skip.IfNot(Directory.Exists(TestData.SamplesDir), "the committed samples/ folder is missing; skipped");
        string outDir = SyntheticNuclei.TempDir("cpu-path");
        try
        {
            var env = new Dictionary<string, string>();
            if (atenCapability.Length > 0) env["ATEN_CPU_CAPABILITY"] = atenCapability;
            if (atenCapability == "avx2") env["DNNL_MAX_CPU_ISA"] = "AVX2";
            var (exit, err) = RunCli(SmokeRun(outDir, precision, threads), env);
            Assert.True(exit == 0, $"exit {exit}: {err}");
            var losses = EpochLosses(Path.Combine(outDir, "log.csv"));
            output.WriteLine($"ATEN_CPU_CAPABILITY={atenCapability} {precision} {threads} thread(s): {string.Join(", ", losses.Select(l => l.ToString("0.0000", CultureInfo.InvariantCulture)))}");
            Assert.Equal(8, losses.Length);
            Assert.All(losses, l => Assert.True(double.IsFinite(l), $"loss {l}"));
            Assert.DoesNotContain("not finite", err);
        }
        finally { Directory.Delete(outDir, true); }
    }

    /// <summary>
    /// The stress run: the smoke model trained 20 times with different seeds, thread counts, workers and precisions; not a
    /// step may be non-finite. Minutes long, so only with NUCLEI_STRESS=1 (`NUCLEI_STRESS=1 dotnet test --filter Stress`).
    /// </summary>
    [SkippableFact]
    public void Stress_TwentySmokeTrainingsAreAllFinite()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("NUCLEI_STRESS") == "1", "set NUCLEI_STRESS=1 to run the 20-training stress test");
        string root = SyntheticNuclei.TempDir("stress");
        int threadsBefore = torch.get_num_threads();
        try
        {
            string data = Directory.Exists(TestData.SamplesDir) ? TestData.SamplesDir : SyntheticNuclei.Create(Path.Combine(root, "data"));
            var failures = new List<string>();
            for (int run = 0; run < 20; run++)
            {
                int seed = 1000 + run, threads = 1 + run % 2, workers = 1 + run / 2 % 2;
                string precision = run % 4 < 2 ? "fp32" : "bf16";
                var args = SmokeRun(Path.Combine(root, $"run{run}"), precision, threads)[5..]
                    .Concat([$"train.seed={seed}", $"train.n_worker={workers}", "train.max_nonfinite_steps=1000"]).ToArray();
                var request = new TrainingRequest(data, Path.Combine(root, $"run{run}"), ConfigurationLoader.Load(null, args), ResumeMode.Fresh);
                var result = Trainer.Run(request, new PlainTrainingObserver(TextWriter.Null));
                string line = $"run {run + 1}: seed {seed}, {threads} thread(s), {workers} worker(s), {precision}: skipped {result.SkippedSteps}, losses {string.Join(" ", result.Epochs.Select(e => e.Loss.ToString("0.000", CultureInfo.InvariantCulture)))}";
                output.WriteLine(line);
                Console.WriteLine(line);
                if (result.SkippedSteps > 0 || result.Epochs.Any(e => !double.IsFinite(e.Loss))) failures.Add(line);
            }
            Assert.True(failures.Count == 0, $"{failures.Count} of 20 runs had non-finite steps:\n{string.Join("\n", failures)}");
        }
        finally { torch.set_num_threads(threadsBefore); Directory.Delete(root, true); }
    }

    static double[] EpochLosses(string logCsv) =>
        File.ReadAllLines(logCsv).Skip(1).Select(l => double.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).ToArray();

    static (int Exit, string Err) RunCli(IEnumerable<string> args, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nuclei.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, stderr);
    }
}
