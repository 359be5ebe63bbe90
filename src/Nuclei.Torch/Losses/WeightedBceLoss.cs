using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>
/// Weighted binary cross-entropy ("wbce"): mean over pixels of w·BCE (PyTorch's weighted BCE), w the pixel weight map
/// (samuelschen/DSB2018's contour/centroid emphasis or the U-Net weight map). Without a map it is plain BCE.
/// </summary>
internal sealed class WeightedBceLoss : PixelLoss
{
    public override string Name => "wbce";

    public override bool UsesWeightMap => true;

    public override Tensor Compute(Tensor logits, Tensor target, Tensor? weight = null)
    {
        if (weight is null) return nn.functional.binary_cross_entropy_with_logits(logits, target);
        using var bce = PixelBce(logits, target);
        using var weighted = bce.mul(weight);
        return weighted.mean();
    }
}
