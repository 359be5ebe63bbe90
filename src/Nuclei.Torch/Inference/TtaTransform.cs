namespace Nuclei.Torch.Inference;

/// <summary>
/// The eight symmetries of the square (the dihedral group D4) used as test-time augmentations.
/// Each one has an exact inverse in <see cref="TestTimeAugmentation"/>.
/// </summary>
internal enum TtaTransform
{
    Identity,
    FlipHorizontal,
    FlipVertical,
    FlipBoth,
    Rotate90,
    Rotate180,
    Rotate270,
    Transpose,
    /// <summary>Transpose across the anti-diagonal (rotate 90 then flip); completes D4.</summary>
    AntiTranspose,
}
