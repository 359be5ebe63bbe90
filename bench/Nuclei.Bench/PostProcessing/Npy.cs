using System.Text;
using System.Text.RegularExpressions;

namespace Nuclei.Bench.PostProcessing;

/// <summary>Minimal NumPy .npy (version 1.0, C order, little-endian) reader/writer so C# and Python read the same inputs.</summary>
public static class Npy
{
    public static void Write(string path, float[] data, int height, int width) => Write(path, "<f4", data, height, width, 4);
    public static void Write(string path, int[] data, int height, int width) => Write(path, "<i4", data, height, width, 4);

    static void Write(string path, string descr, Array data, int height, int width, int itemSize)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({height}, {width}), }}";
        int total = 10 + header.Length + 1;
        int pad = (64 - total % 64) % 64;
        header = header + new string(' ', pad) + "\n";
        var bytes = new byte[data.Length * itemSize];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        Nuclei.Core.IO.AtomicFile.Write(path, tmp =>
        {
            using var f = File.Create(tmp);
            f.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
            f.Write(BitConverter.GetBytes((ushort)header.Length));
            f.Write(Encoding.ASCII.GetBytes(header));
            f.Write(bytes);
        });
    }

    /// <summary>Reads a 2-D float32 or int32 array (other integer types are widened to int32).</summary>
    public static (Array Data, int Height, int Width) Read(string path)
    {
        var all = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(all, 8);
        string header = Encoding.ASCII.GetString(all, 10, headerLength);
        string descr = Regex.Match(header, "'descr': '([^']+)'").Groups[1].Value;
        var shape = Regex.Match(header, @"'shape': \((\d+), (\d+)\)");
        int h = int.Parse(shape.Groups[1].Value), w = int.Parse(shape.Groups[2].Value);
        int offset = 10 + headerLength, n = h * w;
        switch (descr)
        {
            case "<f4": { var d = new float[n]; Buffer.BlockCopy(all, offset, d, 0, n * 4); return (d, h, w); }
            case "<i4": { var d = new int[n]; Buffer.BlockCopy(all, offset, d, 0, n * 4); return (d, h, w); }
            case "<i8": { var d = new int[n]; for (int i = 0; i < n; i++) d[i] = (int)BitConverter.ToInt64(all, offset + 8 * i); return (d, h, w); }
            case "|u1": case "|b1": { var d = new int[n]; for (int i = 0; i < n; i++) d[i] = all[offset + i]; return (d, h, w); }
            default: throw new InvalidDataException($"{path}: unsupported npy dtype {descr}");
        }
    }
}
