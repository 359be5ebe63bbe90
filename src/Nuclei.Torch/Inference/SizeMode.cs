namespace Nuclei.Torch.Inference;

/// <summary>
/// How an image of any size is fed to a network that wants multiples of its SizeMultiple
/// (samuelschen/DSB2018's "prediction datafeed" options).
/// </summary>
public enum SizeMode
{
    /// <summary>Pad up to about 1536×1536 pixels, tile above (keeps memory bounded).</summary>
    Auto,
    /// <summary>Resize to the training width (square) and the probabilities back to the image size.</summary>
    Resize,
    /// <summary>Original size, padded on the bottom/right to the network's SizeMultiple.</summary>
    Pad,
    /// <summary>Overlapping tiles, blended with a smooth weight so that no seam shows.</summary>
    Tile,
}

/// <summary>What fills the border added in pad mode (and around tiles smaller than the tile size).</summary>
public enum PadBorder
{
    /// <summary>Mirror the image without repeating the edge pixel (falls back to Replicate for images too small to mirror).</summary>
    Reflect,
    /// <summary>Repeat the edge pixel.</summary>
    Replicate,
    /// <summary>Constant 0 in image intensity (before normalisation).</summary>
    Black,
    /// <summary>Constant 1 in image intensity (before normalisation).</summary>
    White,
}
