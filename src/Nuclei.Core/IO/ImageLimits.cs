using System.Globalization;

namespace Nuclei.Core.IO;

/// <summary>
/// What an input image may declare before anything of it is decoded (see <see cref="ImageGate"/>). A header costs a
/// few bytes and may claim anything, so every reader checks these first; the defaults fit a 24 GB machine:
/// <list type="bullet">
/// <item><see cref="MaxPixels"/> 1 gigapixel per plane: the largest plane read at all, block by block from disk
/// (libvips keeps a PNG, JPEG or strip TIFF that size in a temporary file of up to 3 GB for 8-bit RGB).</item>
/// <item><see cref="MaxWholePixels"/> 268 megapixels (16384²): the largest plane decoded whole in memory, about 1 GB of
/// floats per channel before the network's maps (whole-image segmentation needs roughly 40 bytes a pixel).</item>
/// <item><see cref="MaxPlanes"/> 100,000 pages in a TIFF.</item>
/// <item><see cref="MaxDecodedBytes"/> 4 GiB: all samples decoded for one image, as 32-bit floats (every plane of a z projection).</item>
/// <item><see cref="MaxLabel"/> 2²⁴ = 16,777,216: the largest value of a label map; tools index arrays by label, and
/// consecutive labels of even a 1-gigapixel image of 8-pixel nuclei stay under it.</item>
/// </list>
/// </summary>
internal sealed record ImageLimits
{
    public const long DefaultMaxPixels = 1_000_000_000;
    public const long DefaultMaxWholePixels = 16384L * 16384;
    public const int DefaultMaxPlanes = 100_000;
    public const long DefaultMaxDecodedBytes = 4L << 30;
    public const int DefaultMaxLabel = 1 << 24;

    /// <summary>The largest plane (pixels) accepted at all, block-wise; the CLI's and server's <c>--max-megapixels</c>.</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>The largest plane (pixels) decoded whole in memory (at most <see cref="MaxPixels"/>).</summary>
    public long MaxWholePixels { get; init; } = DefaultMaxWholePixels;

    /// <summary>The most pages a TIFF may hold (and its metadata declare).</summary>
    public int MaxPlanes { get; init; } = DefaultMaxPlanes;

    /// <summary>The most bytes of 32-bit float samples decoded for one image, all its planes together.</summary>
    public long MaxDecodedBytes { get; init; } = DefaultMaxDecodedBytes;

    /// <summary>The largest label value a label map may hold.</summary>
    public int MaxLabel { get; init; } = DefaultMaxLabel;

    /// <summary>Read images whose data ends before their headers say (the missing part comes out gray or black) instead of refusing them.</summary>
    public bool AcceptTruncated { get; init; }

    /// <summary>The largest plane decoded whole: the smaller of the two pixel limits.</summary>
    public long WholePixels => Math.Min(MaxWholePixels, MaxPixels);

    public static readonly ImageLimits Default = new();

    static readonly AsyncLocal<ImageLimits?> current = new();

    /// <summary>
    /// The limits the readers apply in this flow of execution (<see cref="Default"/> unless a front end sets its own, as
    /// <c>nuclei segment --max-megapixels</c> does before it reads). Kept per asynchronous flow, so the threads and tasks a
    /// run starts see its limits and two runs in one process (a server, tests) do not see each other's.
    /// </summary>
    public static ImageLimits Current
    {
        get => current.Value ?? Default;
        set => current.Value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>"1000 megapixels" or "16 megapixels", as the limits are given.</summary>
    public static string Megapixels(long pixels) =>
        (pixels / 1e6).ToString(pixels % 1_000_000 == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " megapixels";
}
