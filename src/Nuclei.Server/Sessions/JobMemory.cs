namespace Nuclei.Server.Sessions;

/// <summary>
/// The memory one upload's job needs at its peak, reserved in its session before the image is decoded and held until
/// the image joins the session (then what the entry holds is kept, <see cref="ImageEntry.Bytes"/>). Bytes per pixel of
/// an RGB image (a gray one needs less), from the buffers the code allocates. Not yet the real peak: <c>Nuclei.Bench
/// upload-memory</c> measured, on a 16 MP RGB PNG with the bundled model, peaks of 19.7 (decode), 90 (prediction) and
/// 126 (post-processing) bytes a pixel above the process before the upload, the network's tile memory and the earlier
/// phases' garbage not yet collected included.
/// </summary>
public static class JobMemory
{
    /// <summary>
    /// Decoding (<c>ImageIO</c>): the file's samples (16-bit RGBA: 8), the colour channels picked at that depth (6) and
    /// the float image (12).
    /// </summary>
    public const int DecodeBytesPerPixel = 8 + 6 + 12;

    /// <summary>
    /// Prediction (<c>Predictor</c>, one model, tiles): the image (12), its normalised planar copy (12), the tensor
    /// libtorch takes of it (12), a padded copy when the size is no multiple of the network's (12), the tile sums of
    /// 3 heads and their weight (16), which become the maps. The network's own working memory is per tile, not per
    /// pixel: it belongs to the model.
    /// </summary>
    public const int PredictBytesPerPixel = 12 + 12 + 12 + 12 + 16;

    /// <summary>
    /// Post-processing with measurements: the image (12) and maps (12) held, the labels (4), and the masks, markers,
    /// distance transforms and watershed queue of <c>Partition.Run</c> with the measurements' lists (about 28, counted
    /// from its buffers: masks 1 each, markers and labels 4, two distance transforms 4 each, the landscape 4, the queue).
    /// </summary>
    public const int PostProcessBytesPerPixel = 12 + 12 + 4 + 28;

    /// <summary>The most any phase needs at once, per pixel.</summary>
    public const int BytesPerPixel = PredictBytesPerPixel > PostProcessBytesPerPixel ? PredictBytesPerPixel : PostProcessBytesPerPixel;

    /// <summary>Bytes to reserve for a job on an image of <paramref name="pixels"/> pixels.</summary>
    public static long Bytes(long pixels) => pixels * Math.Max(DecodeBytesPerPixel, BytesPerPixel);
}
