using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using OpenCvSharp;

namespace Nuclei.Tests.Safety;

/// <summary>
/// Small files whose headers lie (sizes, plane counts, page chains) or whose data is cut short, written byte by byte so
/// that no encoder refuses the lie. The lies cost nothing: every file here is a few kilobytes at most (the 65,541-page
/// TIFF about 9 MB), and reading any of them whole would take gigabytes.
/// </summary>
internal static class HostileImages
{
    /// <summary>A valid-looking 8-bit gray PNG declaring <paramref name="width"/>x<paramref name="height"/>, with a few bytes of pixel data.</summary>
    public static byte[] LyingPng(uint width, uint height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth; colour type 0 (gray), deflate, no filter, no interlace
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", Zlib(new byte[64]));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A true, all-black 8-bit gray PNG, compressed as far as deflate goes (the most pixels per compressed byte an honest file has).</summary>
    public static byte[] BlackPng(uint width, uint height)
    {
        byte[] png = LyingPng(width, height);
        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, 8 + 25)); // signature and IHDR
        using (var z = new MemoryStream())
        {
            using (var zlib = new ZLibStream(z, CompressionLevel.SmallestSize)) zlib.Write(new byte[(width + 1) * height]);
            Chunk(output, "IDAT", z.ToArray());
        }
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A real JPEG of 16x16 whose frame header then declares <paramref name="width"/>x<paramref name="height"/>.</summary>
    public static byte[] LyingJpeg(ushort width, ushort height)
    {
        byte[] jpeg = Encode(".jpg", 16, 16);
        int sof = FindMarker(jpeg, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), height);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), width);
        return jpeg;
    }

    /// <summary>A gray 8-bit image of <paramref name="height"/>x<paramref name="width"/> (a gradient, so it compresses little) encoded as <paramref name="extension"/>.</summary>
    public static byte[] Encode(string extension, int height, int width)
    {
        using var mat = new Mat(height, width, MatType.CV_8UC1);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) mat.Set(y, x, (byte)((x * 7 + y * 13 + x * y) % 251));
        Cv2.ImEncode(extension, mat, out byte[] bytes);
        return bytes;
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="bytes"/>: a cut copy or download.</summary>
    public static byte[] Cut(byte[] bytes, double fraction) => bytes[..(int)(bytes.Length * fraction)];

    /// <summary>One page of a hand-written TIFF: its declared size, its pixel bytes (as stored) and how they are compressed.</summary>
    public sealed record Page(uint Width, uint Height, byte[] Data, ushort Compression = 1, ushort Bits = 8, string? Description = null);

    /// <summary>The 8-bit gray, one-strip page of <paramref name="width"/>x<paramref name="height"/> samples all <paramref name="value"/>.</summary>
    public static Page Gray(uint width, uint height, byte value = 100) => new(width, height, Enumerable.Repeat(value, (int)(width * height)).ToArray());

    /// <summary>A page declaring <paramref name="width"/>x<paramref name="height"/> whose one deflated strip holds a few rows only.</summary>
    public static Page LyingDeflated(uint width, uint height) => new(width, height, Zlib(new byte[4096]), Compression: 8);

    /// <summary>
    /// As <see cref="LyingDeflated"/>, its strip padded to as many bytes as deflate needs at least for the page (it expands
    /// at most 1032:1): a lie that only decoding finds, so that the checks on the headers alone come first.
    /// </summary>
    public static Page PaddedDeflated(uint width, uint height)
    {
        byte[] data = Zlib(new byte[4096]);
        Array.Resize(ref data, (int)((long)width * height / 1000));
        return new(width, height, data, Compression: 8);
    }

    /// <summary>
    /// A little-endian classic TIFF of <paramref name="pages"/>, one strip each (TIFF 6.0 §2: header, then per page the
    /// strip and its IFD). <paramref name="loop"/>: the last IFD points back at the first.
    /// </summary>
    public static byte[] Tiff(IReadOnlyList<Page> pages, bool loop = false)
    {
        using var tiff = new MemoryStream();
        var w = new BinaryWriter(tiff);
        w.Write("II*\0"u8);
        w.Write(0u); // first IFD offset, patched below
        long pointer = 4, first = 0;
        foreach (var page in pages)
        {
            long strip = tiff.Position;
            w.Write(page.Data);
            byte[] description = page.Description is null ? [] : Encoding.ASCII.GetBytes(page.Description + "\0");
            long descriptionAt = tiff.Position;
            w.Write(description);
            if (tiff.Position % 2 == 1) w.Write((byte)0);
            long ifd = tiff.Position;
            if (first == 0) first = ifd;
            Patch(tiff, pointer, (uint)ifd);
            var entries = new List<(ushort Tag, ushort Type, uint Count, uint Value)>
            {
                (256, 4, 1, page.Width), (257, 4, 1, page.Height), (258, 3, 1, page.Bits), (259, 3, 1, page.Compression),
                (262, 3, 1, 1), (273, 4, 1, (uint)strip), (277, 3, 1, 1), (278, 4, 1, page.Height), (279, 4, 1, (uint)page.Data.Length),
            };
            if (description.Length > 0) entries.Insert(5, (270, 2, (uint)description.Length, (uint)descriptionAt));
            w.Write((ushort)entries.Count);
            foreach (var (tag, type, count, value) in entries) { w.Write(tag); w.Write(type); w.Write(count); w.Write(value); }
            pointer = tiff.Position;
            w.Write(0u); // next IFD
        }
        if (loop) Patch(tiff, pointer, (uint)first);
        return tiff.ToArray();
    }

    static void Patch(MemoryStream stream, long at, uint value)
    {
        long end = stream.Position;
        stream.Position = at;
        stream.Write(BitConverter.GetBytes(value));
        stream.Position = end;
    }

    public static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        png.Write(word);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        png.Write(word);
    }

    static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal)) z.Write(raw);
        return output.ToArray();
    }

    /// <summary>The CRC-32 of PNG chunks (PNG specification, Annex D: polynomial 0xEDB88320, reflected).</summary>
    static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    public static int FindMarker(byte[] jpeg, byte marker)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
        throw new InvalidOperationException($"no marker FF{marker:X2}");
    }
}
