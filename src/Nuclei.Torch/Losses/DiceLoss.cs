using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>Soft Dice loss ("dice"): 1 − (2 Σ p·t + ε) / (Σ p + Σ t + ε) over the batch, p = sigmoid(logits), ε = 1 (Milletari et al. 2016, V-Net).</summary>
internal sealed class DiceLoss : PixelLoss
{
    public const double Smooth = 1.0;

    public override string Name => "dice";

    public override Tensor Compute(Tensor logits, Tensor target, Tensor? weight = null)
    {
        using var p = logits.sigmoid();
        using var inter = p.mul(target).sum();
        using var denominator = p.sum().add(target.sum());
        using var ratio = inter.mul(2.0).add(Smooth).div(denominator.add(Smooth));
        return ratio.neg().add(1.0);
    }
}
