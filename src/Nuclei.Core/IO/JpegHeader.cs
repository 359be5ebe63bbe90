using System.Buffers.Binary;

namespace Nuclei.Core.IO;

/// <summary>
/// A JPEG's declared size and completeness (ITU-T T.81 §B.1.1.3 marker segments, §B.2.2 frame header). The marker
/// segments are walked by their lengths up to the first start of scan; the image is complete when an end-of-image
/// marker (FF D9) follows it: inside entropy-coded data a 0xFF byte is always followed by 0x00 or a restart marker
/// (§B.1.1.5), so FF D9 there can only be the end of the image. A decoder given less reports "premature end" and
/// fills the rest with gray.
/// </summary>
internal static class JpegHeader
{
    public static DeclaredImage Read(ByteSource source, string name)
    {
        Span<byte> head = stackalloc byte[4];
        Span<byte> frame = stackalloc byte[6];
        DeclaredPage? page = null;
        long at = 2;
        while (source.TryRead(at, head))
        {
            if (head[0] != 0xFF) throw new NucleiInputException(name, $"no JPEG marker where one must be (byte {at}): malformed");
            byte marker = head[1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; } // markers without a length
            int length = BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
            if (length < 2) throw new NucleiInputException(name, $"JPEG segment from byte {at} has length {length}: malformed");
            bool startOfFrame = marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
            if (startOfFrame && page is null)
            {
                if (!source.TryRead(at + 4, frame)) break;
                int precision = frame[0], height = BinaryPrimitives.ReadUInt16BigEndian(frame[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(frame[3..]);
                if (width == 0 || height == 0 || frame[5] == 0)
                    throw new NucleiInputException(name, $"JPEG frame header declares {width}x{height} with {frame[5]} component(s): not read (a height given later in a DNL segment is not supported)");
                page = new DeclaredPage(0, 0, width, height, frame[5], precision);
            }
            if (marker == 0xDA) // start of scan
            {
                if (page is null) throw new NucleiInputException(name, "JPEG scan before any frame header: malformed");
                return new DeclaredImage(name, EncodedFormat.Jpeg, [page], EndOfImageAfter(source, at + 2 + length) ? null
                    : $"no end-of-image marker after its compressed data (the file has {source.Length} bytes): truncated");
            }
            at += 2 + length;
        }
        if (page is null) throw new NucleiInputException(name, "JPEG without a frame header (truncated or malformed)");
        return new DeclaredImage(name, EncodedFormat.Jpeg, [page], $"it ends (after {source.Length} bytes) before its compressed data: truncated");
    }

    static bool EndOfImageAfter(ByteSource source, long from)
    {
        var chunk = new byte[ByteSource.WindowBytes];
        bool afterFF = false;
        for (long at = from; at < source.Length; at += chunk.Length)
        {
            int n = (int)Math.Min(chunk.Length, source.Length - at);
            if (!source.TryRead(at, chunk.AsSpan(0, n))) return false;
            for (int i = 0; i < n; i++)
            {
                if (afterFF && chunk[i] == 0xD9) return true;
                afterFF = chunk[i] == 0xFF;
            }
        }
        return false;
    }
}
