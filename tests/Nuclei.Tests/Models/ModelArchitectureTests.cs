using Nuclei.Core;
using Nuclei.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Models;

// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public class ModelArchitectureTests
{
    // samuelschen/DSB2018's "Model Footprint" table: UNet 1.94 M, CaUnet 2.70 M, CamUnet 3.47 M. Its architecture gives
    // exactly 1,944,049 / 2,707,346 / 3,470,643 (counted with PyTorch from samuelschen/DSB2018's description).
    [Theory]
    [InlineData("unet", 1_944_049)]
    [InlineData("caunet", 2_707_346)]
    [InlineData("camunet", 3_470_643)]
    public void ParameterCountsMatchSamuelschenDsb2018(string name, long expected)
    {
        using var net = ModelRegistry.Create(name, new ModelOptions());
        Assert.Equal(expected, net.ParameterCount());
        double seedMillions = name switch { "unet" => 1.944, "caunet" => 2.707, _ => 3.471 };
        Assert.InRange(net.ParameterCount() / 1e6, seedMillions * 0.98, seedMillions * 1.02);
    }

    public static TheoryData<string> AllNames() => new(ModelRegistry.Names);

    [Theory]
    [MemberData(nameof(AllNames))]
    public void EveryArchitectureMapsAnImageToOneLogitMapPerHead(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var net = ModelRegistry.Create(name, new ModelOptions { BaseWidth = 4 });
        net.eval();
        int m = net.SizeMultiple;
        var x = torch.rand(2, 3, 2 * m, 3 * m);
        using var _ = torch.no_grad();
        var y = net.forward(x);
        Assert.Equal(new long[] { 2, net.Heads.Count, 2 * m, 3 * m }, y.shape);
        Assert.True(torch.isfinite(y).all().item<bool>());
    }

    [Theory]
    [InlineData("CAB")]
    [InlineData("CBA")]
    [InlineData("BAC")]
    [InlineData("ACB")]
    public void BlockOrdersBuildAndRun(string order)
    {
        using var scope = torch.NewDisposeScope();
        using var net = ModelRegistry.Create("unet", new ModelOptions { BaseWidth = 4, BlockOrder = order, Depth = 2 });
        var x = torch.rand(1, 3, 8, 8);
        var x0 = x.clone();
        var y = net.forward(x);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, y.shape);
        Assert.True(x.allclose(x0, 0, 0), "the input must not be modified in place");
    }

    [Fact]
    public void SharedDecoderIsSmallerThanSeparateDecoders()
    {
        using var shared = ModelRegistry.Create("scamunet");
        using var separate = ModelRegistry.Create("camunet");
        // One decoder (763,297 parameters in unet) plus two more 1×1 output channels (17 each).
        Assert.Equal(1_944_049 + 34, shared.ParameterCount());
        Assert.True(shared.ParameterCount() < separate.ParameterCount());
    }

    [Fact]
    public void UnknownNamesAndBadOptionsAreClearErrors()
    {
        var e = Assert.Throws<NucleiInputException>(() => ModelRegistry.Create("unetz", new ModelOptions(), "x.ini"));
        Assert.Contains("unknown model 'unetz'", e.Message);
        Assert.StartsWith("x.ini", e.Message);
        var former = Assert.Throws<NucleiInputException>(() => ModelRegistry.Create("res_camunet", new ModelOptions(), "x.ini"));
        Assert.Contains("'res_camunet' is the original DSB2018 toolkit's name; here: camunet_resnet34", former.Message);
        Assert.Throws<NucleiInputException>(() => ModelRegistry.Create("unet", new ModelOptions { BlockOrder = "CCB" }));
        Assert.Throws<NucleiInputException>(() => ModelRegistry.Create("unet", new ModelOptions { Encoder = "alexnet" }));
        Assert.Throws<NucleiInputException>(() => ModelRegistry.Create("dunet_resnet34"));
        Assert.Throws<NucleiInputException>(() => ModelRegistry.Create("camunet_lite", new ModelOptions { Encoder = "vgg16" }));
    }

    [Fact]
    public void OddSizedInputsStillWorkThroughReflectPadding()
    {
        using var scope = torch.NewDisposeScope();
        using var net = ModelRegistry.Create("caunet", new ModelOptions { BaseWidth = 4 });
        net.eval();
        using var _ = torch.no_grad();
        var y = net.forward(torch.rand(1, 3, 40, 56)); // multiples of 8, not of 16
        Assert.Equal(new long[] { 1, 2, 40, 56 }, y.shape);
    }
}
