using System.Buffers.Binary;
using System.IO.Compression;
using Nuclei.Core.IO;

namespace Nuclei.Core.Export;

/// <summary>
/// Nuclei as an ImageJ/Fiji ROI set: a <c>.zip</c> of ImageJ's binary <c>.roi</c> files, one per nucleus, named by
/// its label (zero-padded so the ROI Manager lists them in label order), as ImageJ's RoiEncoder writes them and its
/// RoiDecoder reads them (ij/io/RoiEncoder.java, RoiDecoder.java): a 64-byte big-endian header ("Iout", version,
/// type, bounds, vertex count), then the x and then the y vertex coordinates as shorts relative to the bounds'
/// top-left. Each ROI is of type "traced" (what the Wand tool makes): the pixel-edge outline of the nucleus' largest
/// piece. An ImageJ ROI has no holes, so a hole inside a nucleus is part of its ROI.
/// </summary>
public static class ImageJRoiZip
{
    public const string Extension = ".rois.zip";

    const short Version = 228;
    const byte TracedType = 8;
    const int HeaderSize = 64;

    public static void Write(string path, IReadOnlyList<NucleusOutline> outlines)
    {
        int digits = Math.Max(4, outlines.Count == 0 ? 1 : outlines.Max(o => o.Label).ToString().Length);
        AtomicFile.Write(path, tmp =>
        {
            using var zip = ZipFile.Open(tmp, ZipArchiveMode.Create);
            foreach (var outline in outlines)
            {
                var entry = zip.CreateEntry(outline.Label.ToString("D" + digits) + ".roi", CompressionLevel.Fastest);
                using var stream = entry.Open();
                stream.Write(Encode(outline.Pieces[0].Shell));
            }
        });
    }

    /// <summary>One traced polygon ROI in ImageJ's binary format.</summary>
    public static byte[] Encode(IReadOnlyList<GridPoint> ring)
    {
        int left = ring.Min(p => p.X), top = ring.Min(p => p.Y), right = ring.Max(p => p.X), bottom = ring.Max(p => p.Y);
        if (right > short.MaxValue || bottom > short.MaxValue || ring.Count > ushort.MaxValue)
            throw new ArgumentException($"an ImageJ ROI holds coordinates up to {short.MaxValue} and {ushort.MaxValue} vertices; this outline reaches {right},{bottom} with {ring.Count} vertices");
        var bytes = new byte[HeaderSize + 4 * ring.Count];
        var span = bytes.AsSpan();
        "Iout"u8.CopyTo(span);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], Version);
        span[6] = TracedType;
        BinaryPrimitives.WriteInt16BigEndian(span[8..], (short)top);
        BinaryPrimitives.WriteInt16BigEndian(span[10..], (short)left);
        BinaryPrimitives.WriteInt16BigEndian(span[12..], (short)bottom);
        BinaryPrimitives.WriteInt16BigEndian(span[14..], (short)right);
        BinaryPrimitives.WriteUInt16BigEndian(span[16..], (ushort)ring.Count);
        for (int i = 0; i < ring.Count; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[(HeaderSize + 2 * i)..], (short)(ring[i].X - left));
            BinaryPrimitives.WriteInt16BigEndian(span[(HeaderSize + 2 * (ring.Count + i))..], (short)(ring[i].Y - top));
        }
        return bytes;
    }
}
