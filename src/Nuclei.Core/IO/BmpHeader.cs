using System.Buffers.Binary;

namespace Nuclei.Core.IO;

/// <summary>
/// A BMP's declared size and completeness (Microsoft, "Bitmap Storage": BITMAPFILEHEADER, BITMAPINFOHEADER or the
/// older BITMAPCOREHEADER). Uncompressed rows are padded to 4 bytes; the file must hold every row after the pixel-data offset.
/// </summary>
internal static class BmpHeader
{
    const int CoreHeader = 12;

    public static DeclaredImage Read(ByteSource source, string name)
    {
        Span<byte> h = stackalloc byte[34];
        if (!source.TryRead(0, h[..18])) throw new NucleiInputException(name, "BMP header cut short (truncated)");
        long dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(h[10..]);
        uint infoSize = BinaryPrimitives.ReadUInt32LittleEndian(h[14..]);
        if (!source.TryRead(0, h[..(infoSize == CoreHeader ? 26 : 34)])) throw new NucleiInputException(name, "BMP header cut short (truncated)");
        long width, height;
        int bits, compression = 0;
        if (infoSize == CoreHeader)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(h[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(h[20..]);
            bits = BinaryPrimitives.ReadUInt16LittleEndian(h[24..]);
        }
        else
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(h[18..]);
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(h[22..])); // negative: rows stored top-down
            bits = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
            compression = (int)BinaryPrimitives.ReadUInt32LittleEndian(h[30..]);
        }
        if (width <= 0 || height <= 0 || bits is not (1 or 4 or 8 or 16 or 24 or 32))
            throw new NucleiInputException(name, $"BMP header declares {width}x{height} with {bits} bits per pixel: not a valid image");
        var page = new DeclaredPage(0, 0, width, height, bits == 32 ? 4 : 3, 8);
        string? truncation = null;
        if (compression is 0 or 3) // BI_RGB, BI_BITFIELDS: rows of fixed size
        {
            long stride = (DeclaredPage.Saturating(width, bits) + 31) / 32 * 4;
            long end = dataOffset + DeclaredPage.Saturating(stride, height);
            if (end < 0 || end > source.Length) truncation = $"its {width}x{height} rows need {end} bytes, the file has {source.Length}: truncated";
        }
        return new DeclaredImage(name, EncodedFormat.Bmp, [page], truncation);
    }
}
