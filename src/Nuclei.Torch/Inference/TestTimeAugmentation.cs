using static TorchSharp.torch;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Applies a <see cref="TtaTransform"/> to a batch [N, C, H, W] and maps the network output back.
/// The inverse is exact (pure index permutations, no interpolation); samuelschen/DSB2018 lost points to a wrong
/// inverse for rotations, so every pair is tested in TestTimeAugmentationTests.
/// </summary>
internal static class TestTimeAugmentation
{
    // dims of height and width in [N, C, H, W]
    private const long H = 2, W = 3;

    /// <summary>The default TTA set: samuelschen/DSB2018's flips and rotations plus the transpose.</summary>
    public static IReadOnlyList<TtaTransform> Standard { get; } = new[]
    {
        TtaTransform.Identity, TtaTransform.FlipHorizontal, TtaTransform.FlipVertical, TtaTransform.FlipBoth,
        TtaTransform.Rotate90, TtaTransform.Rotate270, TtaTransform.Transpose,
        // Rotate180 equals FlipBoth exactly and AntiTranspose is the last D4 element; keep the set to distinct views.
        TtaTransform.AntiTranspose,
    };

    /// <summary>True when the transform swaps height and width.</summary>
    public static bool SwapsAxes(TtaTransform t) =>
        t is TtaTransform.Rotate90 or TtaTransform.Rotate270 or TtaTransform.Transpose or TtaTransform.AntiTranspose;

    /// <summary>The transformed batch (a new tensor).</summary>
    public static Tensor Apply(Tensor x, TtaTransform t) => t switch
    {
        TtaTransform.Identity => x.alias(),
        TtaTransform.FlipHorizontal => x.flip(W),
        TtaTransform.FlipVertical => x.flip(H),
        TtaTransform.FlipBoth => x.flip(H, W),
        // rot90 with dims (H, W) turns counter-clockwise, as numpy.rot90.
        TtaTransform.Rotate90 => x.rot90(1, (H, W)),
        TtaTransform.Rotate180 => x.rot90(2, (H, W)),
        TtaTransform.Rotate270 => x.rot90(3, (H, W)),
        TtaTransform.Transpose => x.transpose(H, W),
        TtaTransform.AntiTranspose => x.flip(H, W).transpose(H, W),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    /// <summary>Maps a batch produced on the transformed input back to the original orientation.</summary>
    public static Tensor Invert(Tensor y, TtaTransform t) => t switch
    {
        TtaTransform.Identity => y.alias(),
        TtaTransform.FlipHorizontal => y.flip(W),
        TtaTransform.FlipVertical => y.flip(H),
        TtaTransform.FlipBoth => y.flip(H, W),
        TtaTransform.Rotate90 => y.rot90(3, (H, W)),
        TtaTransform.Rotate180 => y.rot90(2, (H, W)),
        TtaTransform.Rotate270 => y.rot90(1, (H, W)),
        TtaTransform.Transpose => y.transpose(H, W),
        // (flip both then transpose) is its own inverse: transpose then flip both.
        TtaTransform.AntiTranspose => y.transpose(H, W).flip(H, W),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };
}
