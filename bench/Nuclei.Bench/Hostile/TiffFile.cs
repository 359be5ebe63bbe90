using System.Text;

namespace Nuclei.Bench.Hostile;

/// <summary>One page of a hand-written TIFF: its declared size and sample layout, and its one strip as stored.</summary>
internal sealed record TiffPage(uint Width, uint Height, byte[] Data, ushort Compression = 1, ushort Bits = 8,
    ushort SampleFormat = 1, ushort SamplesPerPixel = 1, string? Description = null)
{
    /// <summary>An 8-bit gray page of <paramref name="width"/>x<paramref name="height"/> samples all <paramref name="value"/>.</summary>
    public static TiffPage Gray(uint width, uint height, byte value = 100) =>
        new(width, height, Enumerable.Repeat(value, (int)(width * height)).ToArray());

    /// <summary>A page declaring <paramref name="width"/>x<paramref name="height"/> whose one deflated strip holds 4 kB of zeros only.</summary>
    public static TiffPage LyingDeflated(uint width, uint height, ushort bits = 8, ushort sampleFormat = 1) =>
        new(width, height, HostileBytes.Zlib(new byte[4096]), Compression: 8, Bits: bits, SampleFormat: sampleFormat);
}

/// <summary>
/// Little-endian TIFFs written tag by tag (TIFF 6.0 §2; BigTIFF as libtiff documents it), so that a header can say
/// anything: one strip per page, the strip before its IFD. Extends the tests' HostileImages.Tiff (sample formats,
/// several samples per pixel, chains that point anywhere, BigTIFF).
/// </summary>
internal static class TiffFile
{
    const ushort Short = 3, Long = 4, Ascii = 2, Long8 = 16;

    /// <summary>
    /// A classic TIFF of <paramref name="pages"/>. <paramref name="lastPointsToPage"/>: the last IFD's next pointer
    /// leads back to that page's IFD (a loop); <paramref name="lastNext"/>: it holds that raw offset instead.
    /// </summary>
    public static byte[] Write(IReadOnlyList<TiffPage> pages, int? lastPointsToPage = null, uint? lastNext = null)
    {
        using var tiff = new MemoryStream();
        var w = new BinaryWriter(tiff);
        w.Write("II*\0"u8);
        w.Write(0u); // first IFD offset, patched below
        long pointer = 4;
        var ifds = new List<long>();
        foreach (var page in pages)
        {
            long strip = tiff.Position;
            w.Write(page.Data);
            var entries = new List<(ushort Tag, ushort Type, uint Count, byte[] Value)>
            {
                (256, Long, 1, U32(page.Width)),
                (257, Long, 1, U32(page.Height)),
                (258, Short, page.SamplesPerPixel, Shorts(page.Bits, page.SamplesPerPixel)),
                (259, Short, 1, Shorts(page.Compression, 1)),
                (262, Short, 1, Shorts(1, 1)), // black is zero
                (273, Long, 1, U32((uint)strip)),
                (277, Short, 1, Shorts(page.SamplesPerPixel, 1)),
                (278, Long, 1, U32(page.Height)),
                (279, Long, 1, U32((uint)page.Data.Length)),
            };
            if (page.Description is not null) entries.Add((270, Ascii, 0, Encoding.UTF8.GetBytes(page.Description + "\0")));
            if (page.SamplesPerPixel > 1) entries.Add((284, Short, 1, Shorts(1, 1))); // chunky
            if (page.SampleFormat != 1) entries.Add((339, Short, page.SamplesPerPixel, Shorts(page.SampleFormat, page.SamplesPerPixel)));
            entries.Sort((a, b) => a.Tag.CompareTo(b.Tag)); // readers may insist on ascending tags

            // values over 4 bytes live outside the IFD, at even offsets
            var offsets = new Dictionary<ushort, uint>();
            foreach (var e in entries.Where(e => e.Value.Length > 4))
            {
                if (tiff.Position % 2 == 1) w.Write((byte)0);
                offsets[e.Tag] = (uint)tiff.Position;
                w.Write(e.Value);
            }
            if (tiff.Position % 2 == 1) w.Write((byte)0);
            long ifd = tiff.Position;
            ifds.Add(ifd);
            Patch(tiff, pointer, (uint)ifd);
            w.Write((ushort)entries.Count);
            foreach (var (tag, type, count, value) in entries)
            {
                w.Write(tag);
                w.Write(type);
                w.Write(type == Ascii ? (uint)value.Length : count);
                if (value.Length > 4) w.Write(offsets[tag]);
                else w.Write(value.Concat(new byte[4 - value.Length]).ToArray()); // left-justified in the 4 bytes
            }
            pointer = tiff.Position;
            w.Write(0u); // next IFD
        }
        if (lastPointsToPage is int k) Patch(tiff, pointer, (uint)ifds[k]);
        if (lastNext is uint raw) Patch(tiff, pointer, raw);
        return tiff.ToArray();
    }

    /// <summary>A one-page BigTIFF (version 43, 8-byte offsets) of <paramref name="page"/>, which must have no description.</summary>
    public static byte[] WriteBig(TiffPage page)
    {
        using var tiff = new MemoryStream();
        var w = new BinaryWriter(tiff);
        w.Write("II"u8);
        w.Write((ushort)43);
        w.Write((ushort)8); // bytes per offset
        w.Write((ushort)0);
        w.Write(0UL); // first IFD, patched below
        long strip = tiff.Position;
        w.Write(page.Data);
        if (tiff.Position % 2 == 1) w.Write((byte)0);
        long ifd = tiff.Position;
        tiff.Position = 8;
        w.Write((ulong)ifd);
        tiff.Position = ifd;
        var entries = new (ushort Tag, ushort Type, ulong Value)[]
        {
            (256, Long, page.Width), (257, Long, page.Height), (258, Short, page.Bits), (259, Short, page.Compression),
            (262, Short, 1), (273, Long8, (ulong)strip), (277, Short, 1), (278, Long, page.Height), (279, Long8, (ulong)page.Data.Length),
        };
        w.Write((ulong)entries.Length);
        foreach (var (tag, type, value) in entries)
        {
            w.Write(tag);
            w.Write(type);
            w.Write(1UL);
            if (type == Short) { w.Write((ushort)value); w.Write(new byte[6]); }
            else if (type == Long) { w.Write((uint)value); w.Write(0u); }
            else w.Write(value);
        }
        w.Write(0UL); // next IFD
        return tiff.ToArray();
    }

    /// <summary>A header whose first IFD declares <paramref name="entries"/> entries, followed by <paramref name="tail"/> bytes only.</summary>
    public static byte[] WithEntryCount(ushort entries, int tail)
    {
        using var tiff = new MemoryStream();
        var w = new BinaryWriter(tiff);
        w.Write("II*\0"u8);
        w.Write(8u);
        w.Write(entries);
        w.Write(new byte[tail]);
        return tiff.ToArray();
    }

    static byte[] U32(uint value) => BitConverter.GetBytes(value);

    static byte[] Shorts(ushort value, int count) => Enumerable.Repeat(BitConverter.GetBytes(value), count).SelectMany(b => b).ToArray();

    static void Patch(MemoryStream stream, long at, uint value)
    {
        long end = stream.Position;
        stream.Position = at;
        stream.Write(BitConverter.GetBytes(value));
        stream.Position = end;
    }
}
