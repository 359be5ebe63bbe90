using System.Buffers;

namespace Nuclei.Core.Memory;

/// <summary>
/// Working arrays for one call of an image algorithm. Arrays up to <see cref="MaxPooledLength"/> elements come from the
/// shared pool (no allocation and zeroing per image for the common 256²-1024² images); larger ones are allocated and
/// left to the collector. The shared pool keeps what it is given back: renting a 16-megapixel image's arrays from it
/// would hold them (rounded up to 4096², about 200 MB for one watershed) for the life of a server.
/// </summary>
internal static class ScratchArrays
{
    /// <summary>The largest array kept by the shared pool: 2^20 elements (a 1024² image).</summary>
    internal const int MaxPooledLength = 1 << 20;

    /// <summary>An array of at least <paramref name="length"/> elements; its contents are undefined (fill before reading).</summary>
    internal static T[] Rent<T>(int length) =>
        length <= MaxPooledLength ? ArrayPool<T>.Shared.Rent(length) : GC.AllocateUninitializedArray<T>(length);

    /// <summary>Gives an array from <see cref="Rent{T}"/> back; one above the pool's limit is left to the collector.</summary>
    internal static void Return<T>(T[] array)
    {
        if (array.Length <= MaxPooledLength) ArrayPool<T>.Shared.Return(array);
    }
}
