namespace Nuclei.Tests.Safety;

/// <summary>
/// A file system seam for the output writers: every file it opens shares one byte budget, and a write past it
/// fails with "No space left on device" after writing what still fits, like a real full disk. With
/// <see cref="Lying"/> it drops the bytes silently instead (an encoder that reports success for a truncated file).
/// </summary>
public sealed class FullDisk(long budget, bool lying = false)
{
    readonly long budget = budget;
    long left = budget;

    public bool Lying { get; } = lying;
    public long Written => budget - left;

    public static FullDisk Unlimited() => new(long.MaxValue);

    public Stream Create(string path) => new BudgetStream(new FileStream(path, FileMode.CreateNew, FileAccess.Write), this);

    sealed class BudgetStream(FileStream inner, FullDisk disk) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int fits = (int)Math.Min(buffer.Length, Math.Max(0, disk.left));
            inner.Write(buffer[..fits]);
            disk.left -= fits;
            if (fits < buffer.Length && !disk.Lying) throw new IOException("No space left on device");
        }

        public override void Flush() => inner.Flush(flushToDisk: true);
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
