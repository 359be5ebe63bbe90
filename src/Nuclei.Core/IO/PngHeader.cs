using System.Buffers.Binary;

namespace Nuclei.Core.IO;

/// <summary>
/// A PNG's declared size and completeness from its chunk headers (PNG specification, 3rd ed., §5.3 chunk layout,
/// §11.2.1 IHDR, §11.2.4 IEND): the chunks are walked by their lengths, without reading their data. Complete means
/// IEND is reached inside the file, and the IDAT data is large enough for the declared size: deflate expands at
/// most 1032:1 (zlib technical details, zlib.net/zlib_tech.html), so fewer compressed bytes cannot hold the rows.
/// </summary>
internal static class PngHeader
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    internal const long MaxDeflateRatio = 1032;

    public static DeclaredImage Read(ByteSource source, string name)
    {
        Span<byte> ihdr = stackalloc byte[25];
        if (!source.TryRead(8, ihdr) || !ihdr.Slice(4, 4).SequenceEqual("IHDR"u8))
            throw new NucleiInputException(name, "PNG without an IHDR header (truncated or malformed)");
        long width = BinaryPrimitives.ReadUInt32BigEndian(ihdr[8..]), height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[12..]);
        int depth = ihdr[16], colour = ihdr[17];
        int stored = colour switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (width == 0 || height == 0 || stored == 0 || depth is not (1 or 2 or 4 or 8 or 16))
            throw new NucleiInputException(name, $"PNG header declares {width}x{height}, colour type {colour}, bit depth {depth}: not a valid image");
        var page = new DeclaredPage(0, 0, width, height, colour == 3 ? 3 : stored, depth);
        return new DeclaredImage(name, EncodedFormat.Png, [page], Truncation(source, width, height, stored * depth));
    }

    /// <summary>What is missing, or null when every chunk lies inside the file, IEND is there and IDAT can hold the rows.</summary>
    static string? Truncation(ByteSource source, long width, long height, int bitsPerPixel)
    {
        Span<byte> head = stackalloc byte[8];
        long at = 8, compressed = 0;
        while (source.TryRead(at, head))
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(head);
            var type = head.Slice(4, 4);
            long end = at + 12 + length;
            if (end > source.Length)
                return $"its {UntrustedText.Clean(System.Text.Encoding.ASCII.GetString(type), 8)} chunk (from byte {at}) needs {end} bytes, the file has {source.Length}: truncated";
            if (type.SequenceEqual("IDAT"u8)) compressed += length;
            if (type.SequenceEqual("IEND"u8)) return RowsFit(width, height, bitsPerPixel, compressed);
            at = end;
        }
        return $"it ends (after {source.Length} bytes) before its IEND chunk: truncated";
    }

    static string? RowsFit(long width, long height, int bitsPerPixel, long compressed)
    {
        // each row: a filter byte and its packed samples (the smallest raw size, that of a non-interlaced image);
        // the 64 bytes of slack cover zlib's header and checksum (zlib at its best reaches about 1028:1 on zeros)
        long rowBytes = (DeclaredPage.Saturating(width, bitsPerPixel) + 7) / 8 + 1;
        long raw = DeclaredPage.Saturating(height, rowBytes);
        return raw / MaxDeflateRatio > compressed + 64
            ? $"its {compressed} bytes of compressed pixel data cannot hold {width}x{height} pixels (deflate expands at most {MaxDeflateRatio}:1): truncated or a false header"
            : null;
    }
}
