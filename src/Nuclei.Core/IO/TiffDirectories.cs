using System.Buffers.Binary;

namespace Nuclei.Core.IO;

/// <summary>
/// Every page (IFD) of a TIFF or BigTIFF from its directory entries alone (TIFF 6.0 §2 "TIFF Structure", §8 baseline
/// fields; BigTIFF: the 8-byte variant of the header, counts and offsets, www.awaresystems.be/imaging/tiff/bigtiff.html).
/// Pages are counted here, as int: LibTiff.NET counts them in a 16-bit short, which wraps past 32,767. The walk stops
/// at an IFD seen before (a loop) and past <see cref="ImageLimits.MaxPlanes"/> pages, so a crafted chain costs at most
/// that many small reads. Complete means every strip or tile lies inside the file, an uncompressed page's strips
/// hold all its rows, and a deflated page's strips or tiles are enough compressed bytes for its rows (deflate expands
/// at most 1032:1, as <see cref="PngHeader"/> checks for PNG).
/// </summary>
internal sealed class TiffDirectories
{
    const int MaxEntries = 4096;            // far more than any writer uses; a larger count is a broken IFD
    const long MaxChunks = 1 << 24;         // strips or tiles of a page: one-row strips of a 16-million-row image
    const ushort NewSubfileType = 254, ImageWidth = 256, ImageLength = 257, BitsPerSample = 258, Compression = 259,
        StripOffsets = 273, SamplesPerPixel = 277, StripByteCounts = 279, TileOffsets = 324, TileByteCounts = 325;
    const int ReducedOrMask = 1 | 4;        // NewSubfileType bits: reduced-resolution image, transparency mask
    const long AdobeDeflate = 8, OldDeflate = 32946; // Compression values of zlib streams (TIFF Technical Note 2)

    readonly ByteSource source;
    readonly string name;
    readonly bool little, big;
    string? truncation;

    TiffDirectories(ByteSource source, string name, bool little, bool big) => (this.source, this.name, this.little, this.big) = (source, name, little, big);

    /// <param name="maxPages">pages beyond this are refused as over the limit, without walking further</param>
    public static DeclaredImage Read(ByteSource source, string name, int maxPages)
    {
        Span<byte> header = stackalloc byte[16];
        if (!source.TryRead(0, header[..8])) throw new NucleiInputException(name, "TIFF header cut short (truncated)");
        bool little = header[0] == (byte)'I';
        ushort version = little ? BinaryPrimitives.ReadUInt16LittleEndian(header[2..]) : BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        bool big = version == 43;
        var reader = new TiffDirectories(source, name, little, big);
        long first = big ? (source.TryRead(0, header) ? reader.Offset(header[8..]) : -1) : reader.U32(header[4..]);
        var pages = reader.Walk(first, maxPages);
        if (pages.Count == 0) throw new NucleiInputException(name, "TIFF without any image directory (truncated or malformed)");
        return new DeclaredImage(name, EncodedFormat.Tiff, pages, reader.truncation);
    }

    List<DeclaredPage> Walk(long offset, int maxPages)
    {
        var pages = new List<DeclaredPage>();
        var seen = new HashSet<long>();
        while (offset != 0)
        {
            if (!seen.Add(offset)) break; // a loop: the pages so far are the file's (as libtiff does)
            if (pages.Count == maxPages)
                throw new ImageLimitException(name, $"TIFF holds more than {maxPages} pages, over the limit of {maxPages}");
            var entries = Entries(offset, pages.Count);
            if (entries is null)
            {
                truncation ??= $"its page {pages.Count + 1} directory (byte {offset}) is not inside the file's {source.Length} bytes: truncated";
                break;
            }
            pages.Add(Page(pages.Count, offset, entries.Value.Fields));
            offset = entries.Value.Next;
        }
        return pages;
    }

    readonly record struct Entry(ushort Tag, ushort Type, long Count, long ValueAt);

    /// <summary>The entries of the IFD at <paramref name="offset"/> and the offset of the next, or null when it does not lie inside the file.</summary>
    (Dictionary<ushort, Entry> Fields, long Next)? Entries(long offset, int index)
    {
        int countBytes = big ? 8 : 2, entryBytes = big ? 20 : 12, offsetBytes = big ? 8 : 4;
        Span<byte> count = stackalloc byte[8];
        if (offset < 8 || !source.TryRead(offset, count[..countBytes])) return null;
        long n = big ? Offset(count) : U16(count);
        if (n <= 0 || n > MaxEntries) throw new NucleiInputException(name, $"TIFF page {index + 1} directory declares {n} entries: malformed");
        var block = new byte[n * entryBytes + offsetBytes];
        if (!source.TryRead(offset + countBytes, block)) return null;
        var fields = new Dictionary<ushort, Entry>();
        for (int k = 0; k < n; k++)
        {
            var e = block.AsSpan(k * entryBytes, entryBytes);
            ushort tag = U16(e), type = U16(e[2..]);
            long values = big ? Offset(e[4..]) : U32(e[4..]);
            long valueAt = offset + countBytes + k * entryBytes + (big ? 12 : 8);
            int size = TypeSize(type);
            if (size > 0 && (values < 0 || values > offsetBytes / size)) valueAt = big ? Offset(e[12..]) : U32(e[8..]); // stored elsewhere
            fields.TryAdd(tag, new Entry(tag, type, values, valueAt));
        }
        long next = big ? Offset(block.AsSpan((int)n * entryBytes)) : U32(block.AsSpan((int)n * entryBytes));
        return (fields, next);
    }

    DeclaredPage Page(int index, long offset, Dictionary<ushort, Entry> fields)
    {
        long width = First(fields, ImageWidth, 0), height = First(fields, ImageLength, 0);
        int samples = (int)Math.Clamp(First(fields, SamplesPerPixel, 1), 0, int.MaxValue), bits = (int)Math.Clamp(First(fields, BitsPerSample, 1), 0, int.MaxValue);
        bool reduced = (First(fields, NewSubfileType, 0) & ReducedOrMask) != 0;
        if (width <= 0 || height <= 0 || samples <= 0 || bits <= 0)
            throw new NucleiInputException(name, $"TIFF page {index + 1} declares {width}x{height} with {samples} sample(s) of {bits} bits: not a valid image");
        var page = new DeclaredPage(index, offset, width, height, samples, bits, reduced);
        truncation ??= DataTruncation(page, fields);
        return page;
    }

    /// <summary>Why the page's strips or tiles are not all in the file, or null.</summary>
    string? DataTruncation(DeclaredPage page, Dictionary<ushort, Entry> fields)
    {
        bool tiled = fields.ContainsKey(TileOffsets);
        if (!fields.TryGetValue(tiled ? TileOffsets : StripOffsets, out var offsets)) return $"its page {page.Index + 1} has no pixel data (no strip or tile offsets): truncated or malformed";
        if (!fields.TryGetValue(tiled ? TileByteCounts : StripByteCounts, out var counts)) return null; // libtiff estimates them; nothing to compare
        var starts = Values(offsets);
        var lengths = Values(counts);
        string where = $"its page {page.Index + 1}";
        if (starts is null || lengths is null) return $"{where}'s list of {(tiled ? "tiles" : "strips")} lies beyond the end of the file: truncated";
        long stored = 0;
        for (int i = 0; i < Math.Min(starts.Length, lengths.Length); i++)
        {
            if (lengths[i] > 0 && (starts[i] < 0 || starts[i] > source.Length - lengths[i]))
                return $"{where}'s {(tiled ? "tile" : "strip")} {i + 1} needs {starts[i] + lengths[i]} bytes, the file has {source.Length}: truncated";
            stored += lengths[i];
        }
        long compression = First(fields, Compression, 1);
        long rowBytes = (DeclaredPage.Saturating(page.Width, DeclaredPage.Saturating(page.Samples, page.BitsPerSample)) + 7) / 8;
        long needed = DeclaredPage.Saturating(rowBytes, page.Height);
        if (compression == 1 && !tiled && stored < needed)
            return $"{where} is uncompressed {page.Size} and needs {needed} bytes of pixel data, its strips hold {stored}: truncated";
        // Each strip or tile is a zlib stream of its own: 64 bytes of slack apiece cover the header and checksum. Decoders
        // fill what a short stream lacks (libvips with zeros, block by block, for as long as the page is large).
        long slack = DeclaredPage.Saturating(64, lengths.Length);
        if (compression is AdobeDeflate or OldDeflate && needed / PngHeader.MaxDeflateRatio > stored + slack)
            return $"{where}'s {stored} bytes of deflated {(tiled ? "tiles" : "strips")} cannot hold {page.Size} pixels " +
                $"(deflate expands at most {PngHeader.MaxDeflateRatio}:1): truncated or a false header";
        return null;
    }

    long First(Dictionary<ushort, Entry> fields, ushort tag, long fallback)
    {
        if (!fields.TryGetValue(tag, out var e) || e.Count < 1) return fallback;
        Span<byte> value = stackalloc byte[8];
        int size = TypeSize(e.Type);
        if (size is not (1 or 2 or 4 or 8) || !source.TryRead(e.ValueAt, value[..size])) return fallback;
        return Value(value, e.Type);
    }

    /// <summary>An array of offsets or counts (SHORT, LONG or LONG8), or null when it does not lie inside the file.</summary>
    long[]? Values(Entry e)
    {
        int size = TypeSize(e.Type);
        if (size is not (2 or 4 or 8) || e.Count <= 0 || e.Count > source.Length / size) return null;
        if (e.Count > MaxChunks) throw new NucleiInputException(name, $"TIFF page declares {e.Count} strips or tiles: malformed");
        var bytes = new byte[e.Count * size];
        if (!source.TryRead(e.ValueAt, bytes)) return null;
        var values = new long[e.Count];
        for (int i = 0; i < values.Length; i++) values[i] = Value(bytes.AsSpan(i * size, size), e.Type);
        return values;
    }

    long Value(ReadOnlySpan<byte> b, ushort type) => type switch
    {
        1 or 6 or 7 => b[0],
        3 or 8 => U16(b),
        4 or 9 or 13 => U32(b),
        16 or 17 or 18 => Offset(b),
        _ => 0,
    };

    /// <summary>Bytes per value of a TIFF field type (0 for unknown types, which are skipped).</summary>
    static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    ushort U16(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
    long U32(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    /// <summary>A BigTIFF 8-byte value; one past <see cref="long.MaxValue"/> becomes -1, an offset no file has.</summary>
    long Offset(ReadOnlySpan<byte> b)
    {
        ulong v = little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
        return v > long.MaxValue ? -1 : (long)v;
    }
}
