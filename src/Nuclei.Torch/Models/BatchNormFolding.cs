using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// Folds batch normalisation into the convolution before it, for inference: in eval mode BN is the per-channel affine
/// map y = (x − μ)·γ/√(σ² + ε) + β with fixed running statistics, so conv → BN equals one convolution with
/// W' = W·γ/√(σ² + ε) and b' = (b − μ)·γ/√(σ² + ε) + β (Jacob et al. 2018, "Quantization and Training of Neural Networks
/// for Efficient Integer-Arithmetic-Only Inference", section 3.2; torch.nn.utils.fusion.fuse_conv_bn_eval). It saves
/// the BN pass over every activation. Only a BN directly after a convolution folds: one after a ReLU (the "CAB" block
/// order) does not, since the ReLU sits between them.
/// A folded network no longer trains correctly (its BN modules are skipped), so only inference models are folded.
/// </summary>
internal static class BatchNormFolding
{
    // The batch norms whose effect is in a convolution's weights: their modules stay, but must not be applied again
    // (the ONNX export refuses them rather than writing the normalisation twice).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BatchNorm2d, object> Folded = new();

    /// <summary>Folds every conv → BN pair of <paramref name="net"/> (in eval mode); returns how many were folded.</summary>
    public static int Fold(nn.Module net)
    {
        if (net.training) throw new InvalidOperationException("batch norm folds only in eval mode (running statistics)");
        var all = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance) { net };
        all.UnionWith(net.modules());
        return all.OfType<IFoldsBatchNorm>().Sum(m => m.FoldBatchNorm());
    }

    /// <summary>Puts <paramref name="bn"/>'s eval-mode effect into <paramref name="conv"/>'s weight and bias (computed in float64).</summary>
    public static void FoldInto(Conv2d conv, BatchNorm2d bn)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var type = conv.weight!.dtype;
        var mean = bn.running_mean!.to(ScalarType.Float64);
        var gamma = bn.weight?.to(ScalarType.Float64) ?? torch.ones_like(mean);
        var beta = bn.bias?.to(ScalarType.Float64) ?? torch.zeros_like(mean);
        var scale = gamma / (bn.running_var!.to(ScalarType.Float64) + bn.eps).sqrt();
        var bias = conv.bias?.to(ScalarType.Float64) ?? torch.zeros_like(mean);
        var weight = conv.weight.to(ScalarType.Float64) * scale.reshape(-1, 1, 1, 1);
        conv.weight.copy_(weight.to(type));
        var folded = ((bias - mean) * scale + beta).to(type);
        if (conv.bias is not null) conv.bias.copy_(folded);
        else conv.bias = nn.Parameter(folded.detach().clone().DetachFromDisposeScope(), requires_grad: false);
        Folded.AddOrUpdate(bn, bn);
    }

    /// <summary>True once <paramref name="bn"/> has been folded into a convolution by <see cref="FoldInto"/>.</summary>
    internal static bool IsFolded(BatchNorm2d bn) => Folded.TryGetValue(bn, out _);

    /// <summary>BN of a convolution's output <paramref name="x"/> (released), or <paramref name="x"/> itself once that BN is folded into the convolution.</summary>
    public static Tensor Normalise(nn.Module<Tensor, Tensor> bn, Tensor x, bool folded) => folded ? x : Layers.ForwardAndRelease(bn, x);
}
