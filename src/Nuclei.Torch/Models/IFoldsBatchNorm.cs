namespace Nuclei.Torch.Models;

/// <summary>
/// A module holding convolution → batch-norm pairs that it can fold for inference (see <see cref="BatchNormFolding"/>):
/// after <see cref="FoldBatchNorm"/> its forward skips those batch norms, whose effect is then in the convolutions' weights.
/// </summary>
internal interface IFoldsBatchNorm
{
    /// <summary>Folds this module's own conv → BN pairs (not its children's); returns how many were folded.</summary>
    int FoldBatchNorm();
}
