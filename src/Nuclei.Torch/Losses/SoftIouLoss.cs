using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>
/// Soft IoU (Jaccard) loss ("iou"): 1 − (Σ p·t + ε) / (Σ p + Σ t − Σ p·t + ε) over the whole batch, p = sigmoid(logits),
/// ε = 1 (Rahman &amp; Wang 2016, "Optimizing intersection-over-union in deep neural networks for image segmentation";
/// samuelschen/DSB2018's pixel-wise IoU).
/// </summary>
internal sealed class SoftIouLoss : PixelLoss
{
    public const double Smooth = 1.0;

    public override string Name => "iou";

    public override Tensor Compute(Tensor logits, Tensor target, Tensor? weight = null)
    {
        using var p = logits.sigmoid();
        using var inter = p.mul(target).sum();
        using var sp = p.sum();
        using var st = target.sum();
        using var union = sp.add(st).sub(inter);
        using var ratio = inter.add(Smooth).div(union.add(Smooth));
        return ratio.neg().add(1.0);
    }
}
