using Microsoft.Win32.SafeHandles;

namespace Nuclei.Core.IO;

/// <summary>
/// Random-access reads of an encoded image, from a file or from memory, for the header parsers of
/// <see cref="ImageGate"/>: they read a few bytes here and there (chunk and IFD headers) and never the whole file.
/// A file keeps one window of <see cref="WindowBytes"/> bytes, so walking many small chunks costs few system calls.
/// </summary>
internal abstract class ByteSource : IDisposable
{
    public abstract long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/>; returns the bytes read (fewer at the end).</summary>
    protected abstract int ReadAt(long offset, Span<byte> buffer);

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; false when the source ends before it is full.</summary>
    public bool TryRead(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > Length || buffer.Length > Length - offset) return false;
        int done = 0;
        while (done < buffer.Length)
        {
            int n = ReadAt(offset + done, buffer[done..]);
            if (n <= 0) return false;
            done += n;
        }
        return true;
    }

    public virtual void Dispose() { }

    public const int WindowBytes = 64 * 1024;

    public static ByteSource Of(byte[] data) => new Memory(data);

    /// <exception cref="IOException">the file cannot be opened</exception>
    public static ByteSource Of(string path) => new FileWindow(path);

    sealed class Memory(byte[] data) : ByteSource
    {
        public override long Length => data.Length;

        protected override int ReadAt(long offset, Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, data.Length - offset);
            data.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        }
    }

    sealed class FileWindow : ByteSource
    {
        readonly SafeFileHandle handle;
        readonly byte[] window = new byte[WindowBytes];
        long windowStart = -1;
        int windowLength;

        public FileWindow(string path)
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Length = RandomAccess.GetLength(handle);
        }

        public override long Length { get; }

        protected override int ReadAt(long offset, Span<byte> buffer)
        {
            if (buffer.Length >= WindowBytes) return RandomAccess.Read(handle, buffer, offset);
            if (windowStart < 0 || offset < windowStart || offset + buffer.Length > windowStart + windowLength)
            {
                windowStart = offset;
                windowLength = RandomAccess.Read(handle, window, offset);
            }
            int n = (int)Math.Min(buffer.Length, windowStart + windowLength - offset);
            window.AsSpan((int)(offset - windowStart), Math.Max(n, 0)).CopyTo(buffer);
            return n;
        }

        public override void Dispose() => handle.Dispose();
    }
}
