using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Nuclei.Torch.Export;

/// <summary>
/// A float32 array as a NumPy .npy file, format version 1.0 ("A simple file format for NumPy arrays", numpy.lib.format):
/// the magic "\x93NUMPY", version 1.0, a little-endian uint16 header length, an ASCII header dict (dtype '&lt;f4', C order,
/// the shape) padded with spaces and a newline so that the data starts at a multiple of 64 bytes, then the values,
/// little-endian, last axis fastest. What bioimage.io test tensors are.
/// </summary>
internal static class NpyFile
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    public static byte[] Float32(ReadOnlySpan<float> values, IReadOnlyList<long> shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != values.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not hold {values.Length} values", nameof(shape));
        byte[] header = Header(shape);
        var bytes = new byte[Magic.Length + 2 + header.Length + values.Length * 4];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Magic.Length), (ushort)header.Length);
        header.CopyTo(bytes, Magic.Length + 2);
        var data = bytes.AsSpan(Magic.Length + 2 + header.Length);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data[(i * 4)..], values[i]);
        return bytes;
    }

    /// <summary>The dict, as Python's repr writes it (a one-element shape keeps its trailing comma), padded to the 64-byte boundary.</summary>
    static byte[] Header(IReadOnlyList<long> shape)
    {
        string dims = string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + (shape.Count == 1 ? "," : "");
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = Magic.Length + 2 + dict.Length + 1;
        return Encoding.ASCII.GetBytes(dict + new string(' ', (64 - unpadded % 64) % 64) + "\n");
    }
}
