using System.Buffers.Binary;

namespace Nuclei.Server.Uploads;

/// <summary>
/// Format and pixel size of an upload read from its header alone, so a huge image is refused before it is decoded.
/// Layouts: PNG signature + IHDR (PNG spec §5.2, §11.2.2); JPEG markers up to the first SOFn (ITU T.81 §B.2.2);
/// TIFF header and first IFD's ImageWidth/ImageLength tags (TIFF 6.0 §2, §8).
/// </summary>
internal sealed record ImageHeader(ImageFormat Format, int Width, int Height)
{
    public long Pixels => (long)Width * Height;

    /// <summary>The header of <paramref name="data"/>, or null with the reason when it is none of PNG, JPEG or TIFF or is cut short.</summary>
    public static ImageHeader? Read(ReadOnlySpan<byte> data, out string problem)
    {
        problem = "";
        ImageHeader? header = null;
        if (data.StartsWith(PngSignature)) header = Png(data);
        else if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) header = Jpeg(data);
        else if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8)) header = Tiff(data);
        else
        {
            problem = "not a PNG, TIFF or JPEG image (its first bytes match none of them)";
            return null;
        }
        if (header is null || header.Width <= 0 || header.Height <= 0)
        {
            problem = "the image header is truncated or malformed (no valid width and height)";
            return null;
        }
        return header;
    }

    static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    static ImageHeader? Png(ReadOnlySpan<byte> d)
    {
        if (d.Length < 24 || !d.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        uint w = BinaryPrimitives.ReadUInt32BigEndian(d[16..]), h = BinaryPrimitives.ReadUInt32BigEndian(d[20..]);
        return w > int.MaxValue || h > int.MaxValue ? null : new ImageHeader(ImageFormat.Png, (int)w, (int)h);
    }

    static ImageHeader? Jpeg(ReadOnlySpan<byte> d)
    {
        int i = 2;
        while (i + 4 <= d.Length)
        {
            if (d[i] != 0xFF) return null;
            byte marker = d[i + 1];
            if (marker == 0xFF) { i++; continue; } // fill byte
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; } // markers without a length
            int length = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 2)..]);
            bool startOfFrame = marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
            if (startOfFrame)
                return i + 9 <= d.Length
                    ? new ImageHeader(ImageFormat.Jpeg, BinaryPrimitives.ReadUInt16BigEndian(d[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]))
                    : null;
            if (length < 2) return null;
            i += 2 + length;
        }
        return null;
    }

    static ImageHeader? Tiff(ReadOnlySpan<byte> d)
    {
        bool little = d[0] == (byte)'I';
        if (d.Length < 8) return null;
        long ifd = U32(d, 4, little);
        if (ifd < 8 || ifd + 2 > d.Length) return null;
        int entries = U16(d, (int)ifd, little);
        long width = 0, height = 0;
        for (int k = 0; k < entries; k++)
        {
            int e = (int)ifd + 2 + 12 * k;
            if (e + 12 > d.Length) return null;
            ushort tag = U16(d, e, little), type = U16(d, e + 2, little);
            long value = type == 3 ? U16(d, e + 8, little) : type == 4 ? U32(d, e + 8, little) : -1; // SHORT or LONG
            if (tag == 256) width = value;
            else if (tag == 257) height = value;
        }
        return width is > 0 and <= int.MaxValue && height is > 0 and <= int.MaxValue ? new ImageHeader(ImageFormat.Tiff, (int)width, (int)height) : null;
    }

    static uint U32(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt32BigEndian(d[at..]);

    static ushort U16(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt16BigEndian(d[at..]);
}
