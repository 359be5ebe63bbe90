using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Runtime;
using Xunit.Abstractions;
using Nuclei.Core.Settings;

namespace Nuclei.Tests.Inference;

/// <summary>
/// segment --runtime onnx against the default torch runtime: on the bundled model and the samples, each head's
/// probability map within 1e-5 and the label maps identical (ONNX Runtime and libtorch sum the convolutions in another
/// order, so the maps differ by float rounding; the nuclei do not).
/// </summary>
public sealed class NetworkRuntimeTests(ITestOutputHelper output)
{
    const double MapTolerance = 1e-5;

    [SkippableFact]
    public void Onnx_runtime_segments_the_samples_as_torch_does()
    {
        string model = Path.Combine(TestData.RepoRoot, "models", "default.nck");
        Skip.IfNot(File.Exists(model), $"bundled model {model} not found; skipped");
        using var torch = NucleiSegmenter.Load(new SegmenterOptions { Models = [model] });
        using var onnx = NucleiSegmenter.Load(new SegmenterOptions { Models = [model], Runtime = NetworkRuntime.Onnx });
        Assert.Equal(NetworkRuntime.Onnx, onnx.Model!.Predictor.Models[0].Runtime);
        Assert.Contains(", onnx", onnx.Description);

        var samples = Directory.EnumerateFiles(TestData.SamplesDir, "*.png", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "images").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(samples);
        foreach (string sample in samples)
        {
            var image = ImageIO.ReadImage(sample);
            var a = torch.Segment(image, sample);
            var b = onnx.Segment(image, sample);
            double diff = MaxDifference(a.Maps!.Maps, b.Maps!.Maps);
            output.WriteLine($"{Path.GetFileName(sample)}: {a.Count} nuclei, maps within {diff:G3}");
            Assert.True(diff <= MapTolerance, $"{sample}: maps differ by {diff:G3}");
            Assert.Equal(a.Labels.Data, b.Labels.Data);
        }
    }

    [Fact]
    public void An_unknown_runtime_is_an_error_naming_the_option()
    {
        var e = Assert.Throws<NucleiInputException>(() => SegmenterOptionText.Runtime("tensorrt"));
        Assert.Contains("--runtime", e.Message);
        Assert.Contains("torch, onnx", e.Message);
        Assert.Equal(NetworkRuntime.Onnx, SegmenterOptionText.Runtime("ONNX"));
    }

    [Fact]
    public void Onnx_refuses_bf16_naming_both_options()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();
        var e = Assert.Throws<NucleiInputException>(() =>
            NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt], Runtime = NetworkRuntime.Onnx, Precision = ComputePrecision.Bf16 }));
        Assert.Contains("SegmenterOptions.Precision bf16 needs SegmenterOptions.Runtime torch", e.Message);
        Assert.Equal([Setting.Precision, Setting.Runtime], e.Settings);
        Assert.Contains(Path.GetFileName(ckpt), e.Message);
    }

    [Fact]
    public void Classical_method_refuses_runtime()
    {
        var e = Assert.Throws<NucleiInputException>(() =>
            NucleiSegmenter.Load(new SegmenterOptions { Method = SegmentationMethod.Classical, Runtime = NetworkRuntime.Onnx }));
        Assert.Contains("SegmenterOptions.Runtime", e.Message);
    }

    static double MaxDifference(IReadOnlyList<FloatImage> a, IReadOnlyList<FloatImage> b)
    {
        Assert.Equal(a.Count, b.Count);
        double max = 0;
        for (int k = 0; k < a.Count; k++)
            for (int i = 0; i < a[k].Data.Length; i++) max = Math.Max(max, Math.Abs(a[k].Data[i] - b[k].Data[i]));
        return max;
    }
}
