using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using OpenCvSharp;

namespace Nuclei.Bench.Hostile;

/// <summary>
/// PNG, JPEG and BMP files whose headers lie or whose data is cut short, written byte by byte so that no encoder
/// refuses the lie. LyingPng, LyingJpeg, Encode, Cut, Chunk, Zlib and Crc32 are copied from the tests'
/// tests/Nuclei.Tests/Safety/HostileImages.cs (the bench does not reference the test project); the rest is new here.
/// </summary>
internal static class HostileBytes
{
    public static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A valid-looking 8-bit gray PNG declaring <paramref name="width"/>x<paramref name="height"/>, with a few bytes of pixel data.</summary>
    public static byte[] LyingPng(uint width, uint height) => Png(width, height, Zlib(new byte[64]));

    /// <summary>An 8-bit gray PNG of the declared size whose one IDAT chunk holds <paramref name="idat"/>.</summary>
    public static byte[] Png(uint width, uint height, byte[] idat)
    {
        using var png = new MemoryStream();
        png.Write(PngSignature);
        Chunk(png, "IHDR", Ihdr(width, height));
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The 13 bytes of an IHDR: 8-bit gray, deflate, no filter, no interlace.</summary>
    public static byte[] Ihdr(uint width, uint height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        return ihdr;
    }

    /// <summary>A PNG of <paramref name="chunks"/> (type, data) after the signature, each with its length and true CRC.</summary>
    public static byte[] PngOfChunks(params (string Type, byte[] Data)[] chunks)
    {
        using var png = new MemoryStream();
        png.Write(PngSignature);
        foreach (var (type, data) in chunks) Chunk(png, type, data);
        return png.ToArray();
    }

    /// <summary>A true 8-bit gray PNG of <paramref name="width"/>x<paramref name="height"/>: what an honest IDAT of that size is.</summary>
    public static byte[] HonestIdat(uint width, uint height) => Zlib(new byte[(width + 1) * height]);

    /// <summary>A real JPEG of 16x16 whose frame header then declares <paramref name="width"/>x<paramref name="height"/>.</summary>
    public static byte[] LyingJpeg(ushort width, ushort height)
    {
        byte[] jpeg = Encode(".jpg", 16, 16);
        int sof = FindMarker(jpeg, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), height);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), width);
        return jpeg;
    }

    /// <summary>A real BMP of 16x16 whose info header then declares <paramref name="width"/>x<paramref name="height"/> (negative: rows top-down).</summary>
    public static byte[] LyingBmp(int width, int height)
    {
        byte[] bmp = Encode(".bmp", 16, 16);
        // BITMAPINFOHEADER after the 14-byte file header: biSize (4), biWidth (4), biHeight (4)
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        return bmp;
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

    /// <summary><paramref name="bytes"/> with the byte at <paramref name="at"/> inverted (a flipped CRC, a broken marker).</summary>
    public static byte[] Flip(byte[] bytes, int at)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[at] ^= 0xFF;
        return copy;
    }

    /// <summary><paramref name="length"/> bytes of a fixed pseudo-random sequence, the same on every run.</summary>
    public static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
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

    public static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize)) z.Write(raw);
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
