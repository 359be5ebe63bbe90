using Nuclei.Core.Settings;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Runtime;
using Xunit.Abstractions;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.Inference;

/// <summary>
/// --device: with --runtime onnx, auto asks ONNX Runtime for its CUDA provider and, on a machine or build without it,
/// runs on the CPU with one line saying why and the same nuclei; cuda is then an error; cpu never asks.
/// </summary>
public sealed class InferenceDeviceTests(ITestOutputHelper output) : IDisposable
{
    static readonly Regex FallbackLine = new(@"^onnx: CUDA provider unavailable \(.+\); using CPU$");
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-device-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string BundledModel()
    {
        string model = Path.Combine(TestData.RepoRoot, "models", "default.nck");
        Skip.IfNot(File.Exists(model), $"bundled model {model} not found; skipped");
        return model;
    }

    static List<string> SampleImages() => Directory.EnumerateFiles(TestData.SamplesDir, "*.png", SearchOption.AllDirectories)
        .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "images").Order(StringComparer.Ordinal).ToList();

    [SkippableFact]
    public void Onnx_asking_for_the_gpu_without_one_uses_the_cpu_with_one_line_and_the_same_labels()
    {
        string model = BundledModel();
        using var asked = NucleiSegmenter.Load(new SegmenterOptions { Models = [model], Runtime = NetworkRuntime.Onnx });
        Skip.If(asked.Model!.Predictor.Models[0].Device == InferenceDevice.Cuda, "this machine runs ONNX Runtime's CUDA provider: no fallback to test");
        using var cpu = NucleiSegmenter.Load(new SegmenterOptions { Models = [model], Runtime = NetworkRuntime.Onnx, Device = InferenceDevice.Cpu });
        using var torch = NucleiSegmenter.Load(new SegmenterOptions { Models = [model] });

        output.WriteLine(asked.DeviceFallback);
        Assert.Matches(FallbackLine, asked.DeviceFallback!);
        Assert.Equal(InferenceDevice.Cpu, asked.Model.Predictor.Models[0].Device);
        Assert.Contains(", onnx on cpu", asked.Description);
        Assert.Null(cpu.DeviceFallback);
        Assert.Null(torch.DeviceFallback);   // auto with torch: the CPU, as the build's libtorch has nothing else

        var samples = SampleImages();
        Assert.NotEmpty(samples);
        foreach (string sample in samples)
        {
            var image = ImageIO.ReadImage(sample);
            var got = asked.Segment(image, sample);
            Assert.True(got.Count > 0, $"{sample}: a test of nothing, no nuclei");
            Assert.Equal(cpu.Segment(image, sample).Labels.Data, got.Labels.Data);
            Assert.Equal(torch.Segment(image, sample).Labels.Data, got.Labels.Data);
        }
    }

    [SkippableFact]
    public void Segment_prints_the_fallback_once_and_records_the_device_it_used()
    {
        BundledModel();
        string images = Path.Combine(TestData.SamplesDir, "4217e25defac-crop-64-512", "images");
        string outDir = Path.Combine(dir, "out");
        var run = RunCli("segment", images, "--runtime", "onnx", "--out", outDir);
        Assert.True(run.Exit == 0, run.Err);
        var lines = run.Err.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("onnx:", StringComparison.Ordinal)).ToList();
        Skip.If(lines.Count == 0 && run.Err.Contains("onnx on cuda"), "this machine runs ONNX Runtime's CUDA provider: no fallback to test");
        output.WriteLine(string.Join('\n', lines));
        Assert.Single(lines);
        Assert.Matches(FallbackLine, lines[0]);
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run.json")));
        Assert.Equal("cpu", record.RootElement.GetProperty("settings").GetProperty("device").GetString());

        var quiet = RunCli("segment", images, "--runtime", "onnx", "--device", "cpu", "--out", Path.Combine(dir, "cpu"));
        Assert.True(quiet.Exit == 0, quiet.Err);
        Assert.DoesNotContain("CUDA", quiet.Err);
    }

    [SkippableFact]
    public void Cuda_without_one_is_an_error_naming_the_reason_and_the_way_back()
    {
        string model = BundledModel();
        var thrown = Record.Exception(() => NucleiSegmenter.Load(new SegmenterOptions { Models = [model], Runtime = NetworkRuntime.Onnx, Device = InferenceDevice.Cuda }).Dispose());
        Skip.If(thrown is null, "this machine runs ONNX Runtime's CUDA provider: nothing to refuse");
        var e = Assert.IsType<NucleiInputException>(thrown);
        output.WriteLine(e.Message);
        Assert.Contains("default.nck", e.Message);
        Assert.Contains("--device cuda: ONNX Runtime's CUDA provider is unavailable (", e.MessageFor(Nuclei.Cli.SettingFlags.Names));
        Assert.Contains("--device auto", e.MessageFor(Nuclei.Cli.SettingFlags.Names));
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Cuda_with_torch_is_an_error_naming_onnx()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();
        var e = Assert.Throws<NucleiInputException>(() => NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt], Device = InferenceDevice.Cuda }));
        Assert.Contains("--device cuda needs --runtime onnx", e.MessageFor(Nuclei.Cli.SettingFlags.Names));
        Assert.DoesNotContain("--", e.Message);   // the library names SegmenterOptions.Device
    }

    [Fact]
    public void Device_names_are_parsed_and_an_unknown_one_is_an_error_naming_the_option()
    {
        Assert.Equal(InferenceDevice.Cuda, SegmenterOptionText.Device("CUDA"));
        Assert.Null(SegmenterOptionText.Device(null));
        var e = Assert.Throws<NucleiInputException>(() => SegmenterOptionText.Device("gpu"));
        Assert.Contains("--device must be one of auto, cpu, cuda", e.Message);
    }

    [Fact]
    public void Classical_method_refuses_device()
    {
        var e = Assert.Throws<NucleiInputException>(() =>
            NucleiSegmenter.Load(new SegmenterOptions { Method = SegmentationMethod.Classical, Device = InferenceDevice.Cpu }));
        Assert.Contains(Setting.Device, e.Settings);
        Assert.StartsWith("--device: not used by --method classical", e.MessageFor(Nuclei.Cli.SettingFlags.Names));
    }
}
