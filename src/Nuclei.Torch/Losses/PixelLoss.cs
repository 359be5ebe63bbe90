using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>
/// A loss on one head: <c>logits</c> and <c>target</c> (0..1, soft targets allowed) of the same shape, e.g. [N, H, W],
/// and an optional per-pixel weight map of that shape. Returns a scalar tensor (differentiable w.r.t. the logits).
/// </summary>
internal abstract class PixelLoss
{
    /// <summary>The name <see cref="LossFactory.Create"/> accepts for this loss.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the loss uses the pixel weight map (the others ignore it).</summary>
    public virtual bool UsesWeightMap => false;

    public abstract Tensor Compute(Tensor logits, Tensor target, Tensor? weight = null);

    public override string ToString() => Name;

    /// <summary>Per-pixel binary cross-entropy on logits, stable for large |z|: max(z, 0) − z·t + log(1 + e^−|z|).</summary>
    internal static Tensor PixelBce(Tensor logits, Tensor target) =>
        nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None);
}
