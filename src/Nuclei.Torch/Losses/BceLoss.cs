using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>Mean pixel-wise binary cross-entropy ("bce").</summary>
internal sealed class BceLoss : PixelLoss
{
    public override string Name => "bce";

    public override Tensor Compute(Tensor logits, Tensor target, Tensor? weight = null) =>
        nn.functional.binary_cross_entropy_with_logits(logits, target);
}
