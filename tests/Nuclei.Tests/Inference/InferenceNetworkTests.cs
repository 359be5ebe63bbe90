using Nuclei.Cli;
using Nuclei.Core.Settings;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Inference;

/// <summary>A network prepared for inference (batch norm folded, channels-last input) predicts what it did before.</summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public sealed class InferenceNetworkTests
{
    [Fact]
    public void ChannelsLastKeepsShapeAndValuesAndStoresChannelsInnermost()
    {
        using var x = torch.arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        using var cl = InferenceNetwork.ChannelsLast(x);
        Assert.Equal(x.shape, cl.shape);
        Assert.Equal(new long[] { 60, 1, 15, 3 }, cl.stride());
        Assert.Equal(0f, (cl - x).abs().max().item<float>());
    }

    [Theory]
    [InlineData("scamunet_resnet18_imagenet")]   // the bundled model's architecture
    [InlineData("camunet")]
    public void PreparedNetworkGivesTheSameOutputs(string name)
    {
        torch.manual_seed(4);
        using var net = ModelRegistry.Create(name, new ModelOptions { BaseWidth = 8, Depth = 3 });
        net.eval();
        using var noGrad = torch.no_grad();
        using var x = torch.rand(1, 3, 64, 64);
        using var expected = net.forward(x);
        var forward = InferenceNetwork.Prepare(net);
        using var actual = forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True((actual - expected).abs().max().item<float>() <= 1e-4f);
    }

    [Fact]
    public void BFloat16NetworkTakesAndGivesFloat32AndStaysCloseToFloat32()
    {
        torch.manual_seed(4);
        using var net = ModelRegistry.Create("scamunet_resnet18_imagenet", new ModelOptions { BaseWidth = 8, Depth = 3 });
        net.eval();
        using var noGrad = torch.no_grad();
        using var x = torch.rand(1, 3, 64, 64);
        using var expected = torch.sigmoid(net.forward(x));
        var forward = InferenceNetwork.Prepare(net, ComputePrecision.Bf16);
        using var logits = forward(x);
        using var actual = torch.sigmoid(logits);
        Assert.Equal(ScalarType.Float32, logits.dtype);
        Assert.Equal(expected.shape, actual.shape);
        float diff = (actual - expected).abs().max().item<float>();
        Assert.True(diff > 0, "the network did not compute in bfloat16");
        Assert.True(diff < 0.02f, $"bfloat16 probabilities differ by {diff}");
    }

    [Theory]
    [InlineData("fp32", ComputePrecision.Fp32)]
    [InlineData(" BF16", ComputePrecision.Bf16)]
    [InlineData("auto", ComputePrecision.Auto)]
    public void PrecisionNamesParse(string text, ComputePrecision expected) =>
        Assert.Equal(expected, ComputePrecisions.Parse(text, Setting.Precision));

    [Theory]
    [InlineData("fp16")]
    [InlineData("1")]
    [InlineData("")]
    public void UnknownPrecisionIsRefusedWithTheNames(string text)
    {
        var e = Assert.Throws<Nuclei.Core.NucleiInputException>(() => ComputePrecisions.Parse(text, Setting.Precision));
        Assert.StartsWith("SegmenterOptions.Precision must be one of fp32, bf16, auto", e.Message);
        Assert.StartsWith("--precision must be one of fp32, bf16, auto", e.MessageFor(SettingFlags.Names));
    }

    [Fact]
    public void AutoIsBFloat16ExactlyWhereTheCpuHasIt() =>
        Assert.Equal(ComputePrecisions.CpuHasBFloat16.Value ? ComputePrecision.Bf16 : ComputePrecision.Fp32,
            ComputePrecisions.Resolve(ComputePrecision.Auto));
}
