using System.Buffers.Binary;
using System.IO.Compression;
using Nuclei.Core.IO;

namespace Nuclei.Core.Export;

/// <summary>
/// Nuclei as an ImageJ/Fiji ROI set: a <c>.zip</c> of ImageJ's binary <c>.roi</c> files, one per nucleus, named by
/// its label (zero-padded so the ROI Manager lists them in label order), as ImageJ's RoiEncoder writes them and its
/// RoiDecoder reads them (ij/io/RoiEncoder.java, RoiDecoder.java): a 64-byte big-endian header ("Iout", version,
/// type, bounds, vertex count), then the x and then the y vertex coordinates as shorts relative to the bounds'
/// top-left. A nucleus in one piece without holes is a "traced" polygon (what the Wand tool makes) along its pixel
/// edges; one with holes or several pieces is a composite ROI (ImageJ's ShapeRoi: type "rect" with a float path of
/// move-to / line-to / close segments in image coordinates, holes running the other way), so in both cases the ROI
/// holds exactly the nucleus' pixels.
/// </summary>
internal static class ImageJRoiZip
{
    public const string Extension = ".rois.zip";

    const short Version = 228;
    const byte TracedType = 8, RectType = 1;
    const float MoveTo = 0, LineTo = 1, Close = 4;
    const int HeaderSize = 64;

    /// <summary>Writes the zip atomically.</summary>
    public static void Write(string path, IReadOnlyList<NucleusOutline> outlines) =>
        AtomicFile.WriteAllBytes(path, Encode(outlines));

    /// <summary>The earliest time a zip entry can hold (MS-DOS dates start in 1980).</summary>
    static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The zip file's bytes, built in memory.</summary>
    public static byte[] Encode(IReadOnlyList<NucleusOutline> outlines)
    {
        int digits = Math.Max(4, outlines.Count == 0 ? 1 : outlines.Max(o => o.Label).ToString().Length);
        var memory = new MemoryStream();
        {
            using var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var outline in outlines)
            {
                var entry = zip.CreateEntry(outline.Label.ToString("D" + digits) + ".roi", CompressionLevel.Fastest);
                // a fixed time stamp: the same nuclei give the same bytes (the clock's 2-second zip time made two
                // encodings of one label map differ, and outputs of a resumed run differ from an uninterrupted one)
                entry.LastWriteTime = FixedTime;
                using var stream = entry.Open();
                bool simple = outline.Pieces.Count == 1 && outline.Pieces[0].Holes.Count == 0;
                stream.Write(simple ? Encode(outline.Pieces[0].Shell) : EncodeComposite(outline.Pieces));
            }
        }
        return memory.ToArray();
    }

    /// <summary>One traced polygon ROI in ImageJ's binary format.</summary>
    public static byte[] Encode(IReadOnlyList<GridPoint> ring)
    {
        if (ring.Count > ushort.MaxValue)
            throw new ArgumentException($"an ImageJ polygon ROI holds at most {ushort.MaxValue} vertices; this outline has {ring.Count}");
        var bytes = new byte[HeaderSize + 4 * ring.Count];
        var span = bytes.AsSpan();
        var (left, top) = WriteHeader(span, TracedType, ring);
        BinaryPrimitives.WriteUInt16BigEndian(span[16..], (ushort)ring.Count);
        for (int i = 0; i < ring.Count; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[(HeaderSize + 2 * i)..], (short)(ring[i].X - left));
            BinaryPrimitives.WriteInt16BigEndian(span[(HeaderSize + 2 * (ring.Count + i))..], (short)(ring[i].Y - top));
        }
        return bytes;
    }

    /// <summary>A composite ROI: every ring of every piece as a closed path of floats (segment type, then x, y).</summary>
    public static byte[] EncodeComposite(IReadOnlyList<PixelPolygon> pieces)
    {
        var rings = pieces.SelectMany(p => p.Holes.Prepend(p.Shell)).ToList();
        var path = new List<float>();
        foreach (var ring in rings)
        {
            for (int i = 0; i < ring.Count; i++)
                path.AddRange(new[] { i == 0 ? MoveTo : LineTo, ring[i].X, ring[i].Y });
            path.Add(Close);
        }
        var bytes = new byte[HeaderSize + 4 * path.Count];
        var span = bytes.AsSpan();
        WriteHeader(span, RectType, rings.SelectMany(r => r).ToList());
        BinaryPrimitives.WriteInt32BigEndian(span[36..], path.Count);
        for (int i = 0; i < path.Count; i++) BinaryPrimitives.WriteSingleBigEndian(span[(HeaderSize + 4 * i)..], path[i]);
        return bytes;
    }

    /// <summary>Magic, version, type and bounds; returns the bounds' left and top.</summary>
    static (int Left, int Top) WriteHeader(Span<byte> span, byte type, IReadOnlyList<GridPoint> points)
    {
        int left = points.Min(p => p.X), top = points.Min(p => p.Y), right = points.Max(p => p.X), bottom = points.Max(p => p.Y);
        if (right > short.MaxValue || bottom > short.MaxValue)
            throw new ArgumentException($"an ImageJ ROI holds coordinates up to {short.MaxValue}; this outline reaches {right},{bottom}");
        "Iout"u8.CopyTo(span);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], Version);
        span[6] = type;
        BinaryPrimitives.WriteInt16BigEndian(span[8..], (short)top);
        BinaryPrimitives.WriteInt16BigEndian(span[10..], (short)left);
        BinaryPrimitives.WriteInt16BigEndian(span[12..], (short)bottom);
        BinaryPrimitives.WriteInt16BigEndian(span[14..], (short)right);
        return (left, top);
    }
}
