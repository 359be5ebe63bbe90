using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>
/// Focal loss (Lin et al. 2017, "Focal loss for dense object detection"), no α: mean over pixels of
/// (1 − p_t)^γ · BCE with p_t = exp(−BCE) (which also handles soft targets), γ = 2.
/// "focal" ignores the weight map. "focal2" multiplies it by the pixel weight map: with the contour-and-centroid
/// emphasis map (TargetBuilder.EmphasisWeightMap) it is samuelschen/DSB2018's Focal2; with that map built with
/// CentroidEmphasis = 0 (contour only) it is samuelschen/DSB2018's contour-weighted "Focal".
/// </summary>
internal sealed class FocalLoss : PixelLoss
{
    public FocalLoss(double gamma = 2.0, bool weighted = false)
    {
        Gamma = gamma;
        Weighted = weighted;
    }

    public double Gamma { get; }

    public bool Weighted { get; }

    public override string Name => Weighted ? "focal2" : "focal";

    public override bool UsesWeightMap => Weighted;

    public override Tensor Compute(Tensor logits, Tensor target, Tensor? weight = null)
    {
        using var bce = PixelBce(logits, target);
        using var pt = bce.neg().exp();
        using var modulator = pt.neg().add(1.0).pow(Gamma);
        using var focal = modulator.mul(bce);
        if (!Weighted || weight is null) return focal.mean();
        using var weighted = focal.mul(weight);
        return weighted.mean();
    }
}
