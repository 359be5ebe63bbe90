namespace Nuclei.Core.IO;

/// <summary>The encodings the readers accept, told apart by their first bytes (never by the file name).</summary>
internal enum EncodedFormat { Png, Jpeg, Tiff, Bmp }

/// <summary>
/// One page of an encoded image as its header declares it (nothing decoded): a TIFF IFD, or the one picture of a
/// PNG, JPEG or BMP. Sizes are <c>long</c> because a header may declare anything up to 2³²−1 a side.
/// </summary>
/// <param name="Index">0-based page (IFD) number in the file's main chain</param>
/// <param name="Offset">byte offset of the TIFF IFD (0 for other formats)</param>
/// <param name="Samples">samples per pixel as stored (e.g. 3 for RGB; a palette counts as 3, as it is decoded)</param>
/// <param name="Reduced">a reduced-resolution copy or a mask (TIFF NewSubfileType), not a plane of the image</param>
internal sealed record DeclaredPage(int Index, long Offset, long Width, long Height, int Samples, int BitsPerSample, bool Reduced = false)
{
    /// <summary>Width × height, saturating at <see cref="long.MaxValue"/> (a lying header cannot overflow it).</summary>
    public long Pixels => Saturating(Width, Height);

    /// <summary>The bytes its samples take once decoded as 32-bit floats, what the readers hold; saturating.</summary>
    public long FloatBytes => Saturating(Saturating(Pixels, Math.Max(Samples, 1)), sizeof(float));

    public string Size => $"{Width}x{Height}";

    internal static long Saturating(long a, long b) => a <= 0 || b <= 0 ? 0 : a > long.MaxValue / b ? long.MaxValue : a * b;
}

/// <summary>What an encoded image's headers declare: its format, every page, and why it is incomplete when it is.</summary>
/// <param name="Name">the file (or upload) it was read from, for messages</param>
/// <param name="Truncation">null when the file holds all the data its headers point to; else what is missing</param>
internal sealed record DeclaredImage(string Name, EncodedFormat Format, IReadOnlyList<DeclaredPage> Pages, string? Truncation)
{
    /// <summary>The pages that are planes of the image (reduced-resolution copies and masks left out).</summary>
    public IReadOnlyList<DeclaredPage> Planes => Pages.Where(p => !p.Reduced).ToList();

    /// <summary>The page a single-image decoder (OpenCV, libvips) reads: the first.</summary>
    public DeclaredPage First => Pages[0];
}
