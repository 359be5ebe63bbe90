namespace Nuclei.Core.IO;

/// <summary>
/// An exclusive lock shared by every process writing into one folder: a lock file held open with
/// <see cref="FileShare.None"/> (on Linux and macOS .NET takes an advisory <c>flock</c> on it, released by the
/// kernel when the process dies, so a killed run never leaves the folder locked).
/// </summary>
internal sealed class FolderLock : IDisposable
{
    public const string FileName = ".nuclei.lock";

    readonly FileStream stream;

    FolderLock(FileStream stream) => this.stream = stream;

    /// <summary>Waits (up to <paramref name="timeout"/>) until no other process holds the lock of <paramref name="folder"/>.</summary>
    public static FolderLock Acquire(string folder, TimeSpan? timeout = null)
    {
        string path = Path.Combine(folder, FileName);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(5));
        while (true)
        {
            try
            {
                return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50); // another run holds it: its critical section is short
            }
            catch (IOException e)
            {
                throw new IOException($"{folder}: could not lock the folder ({path}): {e.Message}", e);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
