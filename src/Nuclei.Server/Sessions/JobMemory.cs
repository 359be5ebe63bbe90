namespace Nuclei.Server.Sessions;

/// <summary>
/// The memory one upload's job needs at its peak, reserved in its session before the image is decoded and held until
/// the image joins the session (then what the entry holds is kept, <see cref="ImageEntry.Bytes"/>). Bytes per pixel of
/// an RGB image (a gray one needs less): the most of the phases measured by <c>Nuclei.Bench upload-memory IMAGE
/// --threads 1</c> on a 4000² RGB PNG (<c>Nuclei.Bench big-slide build TRAIN_DIR 4000 slide.png</c>) with the bundled
/// model, each phase's peak above the process before the upload: decoding 19.8, prediction 69.5 (the network's working
/// memory for one batch of tiles, about 25 of it at this size, included), post-processing with measurements 72.2 (it
/// starts from 26.6: the image and maps, the prediction's garbage collected). Before the prediction shared its input
/// with libtorch and the garbage was collected between the phases: 19.7, 93.8 and 134.8.
/// </summary>
internal static class JobMemory
{
    /// <summary>
    /// Decoding (<c>ImageIO</c>): the file's samples (16-bit RGBA: 8), the colour channels picked at that depth (6) and
    /// the float image (12); measured 19.8.
    /// </summary>
    public const int DecodeBytesPerPixel = 8 + 6 + 12;

    /// <summary>
    /// Prediction (<c>Predictor</c>, one model, tiles): the image (12), its normalised planar copy, which libtorch reads
    /// in place (12), a padded copy when the size is no multiple of the network's (12), the tile sums of 3 heads and
    /// their weight (16), which become the maps; measured 69.5 with the network's working memory for one batch of tiles.
    /// </summary>
    public const int PredictBytesPerPixel = 12 + 12 + 12 + 16;

    /// <summary>
    /// Post-processing with measurements: the image (12) and maps (12) held, the labels (4), the masks, markers, distance
    /// transforms, landscape and watershed queue of <c>Partition.Run</c> and the measurements' lists: measured 72.2 in
    /// all, about 46 of it allocated by the phase itself.
    /// </summary>
    public const int PostProcessBytesPerPixel = 12 + 12 + 4 + 46;

    /// <summary>
    /// What a job reserves per pixel: the measured peak of its phases (72.2, post-processing) with a margin for what
    /// varies from run to run (two runs of one build differed by 6).
    /// </summary>
    public const int BytesPerPixel = 76;

    /// <summary>Bytes to reserve for a job on an image of <paramref name="pixels"/> pixels.</summary>
    public static long Bytes(long pixels) => pixels * BytesPerPixel;
}
