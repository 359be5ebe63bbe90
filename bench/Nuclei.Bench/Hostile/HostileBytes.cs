using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using OpenCvSharp;

using Nuclei.Tests.Safety;

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
        HostileImages.Chunk(png, "IHDR", Ihdr(width, height));
        HostileImages.Chunk(png, "IDAT", idat);
        HostileImages.Chunk(png, "IEND", []);
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
        foreach (var (type, data) in chunks) HostileImages.Chunk(png, type, data);
        return png.ToArray();
    }

    /// <summary>A true 8-bit gray PNG of <paramref name="width"/>x<paramref name="height"/>: what an honest IDAT of that size is.</summary>
    public static byte[] HonestIdat(uint width, uint height) => Zlib(new byte[(width + 1) * height]);

    /// <summary>A real BMP of 16x16 whose info header then declares <paramref name="width"/>x<paramref name="height"/> (negative: rows top-down).</summary>
    public static byte[] LyingBmp(int width, int height)
    {
        byte[] bmp = HostileImages.Encode(".bmp", 16, 16);
        // BITMAPINFOHEADER after the 14-byte file header: biSize (4), biWidth (4), biHeight (4)
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        return bmp;
    }

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

    /// <summary>zlib at its smallest (the tests' builders compress at Optimal): the corpus's deflate files are as small as they can be.</summary>
    public static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize)) z.Write(raw);
        return output.ToArray();
    }

}
