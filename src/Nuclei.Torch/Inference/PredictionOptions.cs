namespace Nuclei.Torch.Inference;

/// <summary>How the predictor feeds an image to its networks.</summary>
internal sealed record PredictionOptions
{
    public SizeMode Mode { get; init; } = SizeMode.Auto;

    /// <summary>Border used in pad mode and to bring small images up to one tile.</summary>
    public PadBorder Border { get; init; } = PadBorder.Reflect;

    /// <summary>Test-time augmentation views; null or empty means the identity only.</summary>
    public IReadOnlyList<TtaTransform>? Transforms { get; init; }

    /// <summary>Tile side in tile mode (rounded up to the network's SizeMultiple).</summary>
    public int TileSize { get; init; } = 512;

    /// <summary>Overlap between neighbouring tiles; must exceed the network's effective receptive field radius.</summary>
    public int TileOverlap { get; init; } = 64;

    /// <summary>Tiles per forward pass: small so that memory stays bounded on huge images.</summary>
    public int TileBatch { get; init; } = 2;

    /// <summary>In auto mode, images with more pixels than this are tiled instead of padded (every DSB2018 image is padded, as in training's validation).</summary>
    public long AutoTileAbovePixels { get; init; } = 1536L * 1536;

    /// <summary>Resize mode refuses images whose longer side exceeds the training width by more than this factor.</summary>
    public double MaxResizeFactor { get; init; } = 8;

    /// <summary>
    /// Pad mode refuses images with more pixels than this: a whole-image forward pass needs several hundred bytes
    /// per pixel (measured 2.3 GB peak at 2048×2048 with camunet), tile mode stays bounded.
    /// </summary>
    public long MaxPadPixels { get; init; } = 2048L * 2048;

    public static PredictionOptions WithTta(bool tta) =>
        new() { Transforms = tta ? TestTimeAugmentation.Standard : null };
}
