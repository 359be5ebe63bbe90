using Nuclei.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Models;

// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public class EncoderTests
{
    // torchvision's parameter counts without the ImageNet classifier: resnet18 11,689,512 − fc 513,000;
    // resnet34 21,797,672 − 513,000; vgg16().features 14,714,688; densenet121 7,978,856 − classifier 1,025,000.
    [Theory]
    [InlineData("resnet18", 11_176_512)]
    [InlineData("resnet34", 21_284_672)]
    [InlineData("vgg16", 14_714_688)]
    [InlineData("densenet121", 6_953_856)]
    public void EncodersHaveTorchvisionParameterCounts(string encoder, long expected)
    {
        using var e = EncoderFactory.Create(new ModelOptions { Encoder = encoder });
        Assert.Equal(expected, e.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("resnet34", "layer3.5.conv2.weight", "layer4.0.downsample.1.running_mean")]
    [InlineData("vgg16", "features.0.weight", "features.28.bias")]
    [InlineData("densenet121", "features.denseblock3.denselayer24.conv2.weight", "features.transition2.norm.running_var")]
    public void EncodersNameTheirStateLikeTorchvision(string encoder, string name1, string name2)
    {
        using var e = EncoderFactory.Create(new ModelOptions { Encoder = encoder });
        var keys = e.state_dict().Keys.ToHashSet();
        Assert.Contains(name1, keys);
        Assert.Contains(name2, keys);
    }

    [Theory]
    [InlineData("unet_resnet18")]
    [InlineData("camunet_resnet34")]
    [InlineData("caunet_vgg16")]
    [InlineData("unet_densenet121")]
    public void EncoderVariantsProduceFullSizeLogits(string name)
    {
        using var scope = NewDisposeScope();
        using var net = ModelRegistry.Create(name, new ModelOptions { BaseWidth = 4 });
        net.eval();
        using var _ = no_grad();
        int m = net.SizeMultiple;
        var y = net.forward(rand(1, 3, m * 2, m));
        Assert.Equal(new long[] { 1, net.Heads.Count, m * 2, m }, y.shape);
    }

    [Fact]
    public void PretrainedWeightsLoadByTorchvisionNames()
    {
        string dir = Directory.CreateTempSubdirectory("nuclei-pre-").FullName;
        try
        {
            using var source = EncoderFactory.Create(new ModelOptions { Encoder = "resnet18" });
            string path = Path.Combine(dir, "resnet18.dat");
            source.save(path);
            using var net = (MultiHeadUNet)ModelRegistry.Create("unet_resnet18", new ModelOptions { BaseWidth = 4 });
            int loaded = PretrainedWeights.LoadInto(net.Encoder, path);
            Assert.Equal(source.state_dict().Count, loaded);
            var a = source.state_dict()["layer2.1.conv1.weight"];
            var b = net.Encoder.state_dict()["layer2.1.conv1.weight"];
            Assert.True(a.allclose(b, 0, 0));
        }
        finally { Directory.Delete(dir, true); }
    }
}
