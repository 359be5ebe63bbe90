using Nuclei.Torch.Runtime;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Tests.Models;

/// <summary>
/// Folding batch norm into the convolution before it (inference models only): a folded network computes what the
/// unfolded one computes in eval mode, for every architecture of the registry and every encoder with batch norm.
/// </summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public sealed class BatchNormFoldingTests
{
    // expected folds (-1: every BN): blocks CBA/ACB fold their BN, CAB (BN after the ReLU) none; with CAB decoders,
    // ResNet-18 1 + 2·8 + 3 projections, ML.NET's ResNet-18 (3 stages) 1 + 2·6 + 2, DenseNet-121 stem + one per dense layer (58)
    [Theory]
    [InlineData("unet", "CBA", -1)]
    [InlineData("dunet", "CBA", -1)]
    [InlineData("caunet", "CBA", -1)]
    [InlineData("camunet", "CBA", -1)]
    [InlineData("scamunet", "ACB", -1)]
    [InlineData("camdunet", "CBA", -1)]
    [InlineData("camunet_lite", "CBA", -1)]
    [InlineData("caunet_lite", "ACB", -1)]
    [InlineData("dcan", "CBA", -1)]
    [InlineData("camunet", "CAB", 0)]
    [InlineData("scamunet_resnet18", "CAB", 20)]
    [InlineData("caunet_resnet34", "CBA", -1)]
    [InlineData("scamunet_resnet18_imagenet", "CAB", 15)]
    [InlineData("unet_densenet121", "CAB", 59)]
    public void FoldedNetworkGivesTheSameOutputs(string name, string order, int expectedFolds)
    {
        torch.manual_seed(1);
        using var net = ModelRegistry.Create(name, new ModelOptions { BaseWidth = 4, Depth = 2, BlockOrder = order });
        RandomiseBatchNorms(net);
        net.eval();
        using var noGrad = torch.no_grad();
        using var native = OneDnnConvolutions.AvoidForNarrow(net, _ => { });   // 4 channels wide: as inference runs it (see OneDnnConvolutions)
        int size = Math.Max(64, net.SizeMultiple);
        using var x = torch.randn(1, net.Options.InChannels, size, size);
        using var before = net.forward(x);

        int folded = BatchNormFolding.Fold(net);
        using var after = net.forward(x);

        int allBatchNorms = net.modules().OfType<BatchNorm2d>().Count();
        Assert.Equal(expectedFolds < 0 ? allBatchNorms : expectedFolds, folded);
        float diff = (after - before).abs().max().item<float>();
        Assert.True(diff <= 1e-4f, $"{name} ({order}): max abs diff {diff} (outputs up to {before.abs().max().item<float>()})");
        Assert.Equal(0, BatchNormFolding.Fold(net));   // folding twice changes nothing
    }

    [Fact]
    public void FoldedBatchNormsAreSkipped()
    {
        torch.manual_seed(2);
        using var net = ModelRegistry.Create("scamunet_resnet18", new ModelOptions { BaseWidth = 4, BlockOrder = "CBA" });
        RandomiseBatchNorms(net);
        net.eval();
        using var noGrad = torch.no_grad();
        using var x = torch.randn(1, 3, 64, 64);
        BatchNormFolding.Fold(net);
        using var folded = net.forward(x);
        foreach (var bn in net.modules().OfType<BatchNorm2d>()) bn.running_mean!.add_(5f);
        using var again = net.forward(x);
        Assert.Equal(0f, (again - folded).abs().max().item<float>());
    }

    [Fact]
    public void FoldingNeedsEvalMode()
    {
        using var net = ModelRegistry.Create("unet", new ModelOptions { BaseWidth = 4, Depth = 2, BlockOrder = "CBA" });
        net.train();
        Assert.Throws<InvalidOperationException>(() => BatchNormFolding.Fold(net));
    }

    [Fact]
    public void LoadedCheckpointIsFoldedAndPredictsAsSaved()
    {
        string dir = Directory.CreateTempSubdirectory("nuclei-fold-").FullName;
        try
        {
            torch.manual_seed(3);
            using var net = ModelRegistry.Create("camunet", new ModelOptions { BaseWidth = 4, Depth = 2, BlockOrder = "CBA" });
            RandomiseBatchNorms(net);
            string path = Path.Combine(dir, "model.nck");
            Checkpoint.Save(path, net, new CheckpointInfo());
            net.eval();
            using var noGrad = torch.no_grad();
            using var x = torch.randn(1, 3, 32, 32);
            using var expected = net.forward(x);
            using var model = CheckpointModels.Load(path);
            using var actual = model.Network(x);
            Assert.True((actual - expected).abs().max().item<float>() <= 1e-4f);
            using var reloaded = Checkpoint.Load(path).Net;   // the file keeps the unfolded weights and batch norms
            Assert.Equal(net.modules().OfType<BatchNorm2d>().Count(), reloaded.modules().OfType<BatchNorm2d>().Count());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Running statistics and affine parameters away from their identity initial values (negative γ included).</summary>
    private static void RandomiseBatchNorms(nn.Module net)
    {
        using var noGrad = torch.no_grad();
        foreach (var bn in net.modules().OfType<BatchNorm2d>())
        {
            long c = bn.running_mean!.shape[0];
            bn.running_mean.copy_(torch.randn(c) * 0.3f);
            bn.running_var!.copy_(torch.rand(c) * 1.5f + 0.5f);
            bn.weight!.copy_((torch.rand(c) + 0.5f) * torch.rand(c).sub(0.3f).sign());
            bn.bias!.copy_(torch.randn(c) * 0.3f);
        }
    }
}
