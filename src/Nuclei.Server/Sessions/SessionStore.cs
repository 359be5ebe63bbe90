using System.Security.Cryptography;
using Nuclei.Server.Uploads;

namespace Nuclei.Server.Sessions;

/// <summary>
/// The session's images, in memory only (lost on restart), in upload order, within a memory budget. Thread-safe.
/// </summary>
public sealed class SessionStore(long maxBytes)
{
    readonly object gate = new();
    readonly List<ImageEntry> entries = new();

    public long MaxBytes { get; } = maxBytes;

    public long Bytes { get { lock (gate) return entries.Sum(e => e.Bytes); } }

    public IReadOnlyList<ImageEntry> All { get { lock (gate) return entries.ToList(); } }

    public ImageEntry? Find(string id) { lock (gate) return entries.FirstOrDefault(e => e.Id == id); }

    /// <summary>Refuses (before the work is done) an image whose memory would not fit beside the others.</summary>
    /// <param name="reserved">bytes promised to images not in the session yet (queued and running jobs)</param>
    public void EnsureRoomFor(long bytes, string name, long reserved = 0)
    {
        lock (gate)
        {
            long used = entries.Sum(e => e.Bytes) + reserved;
            if (used + bytes > MaxBytes)
                throw new SessionFullException(name, $"the session is full: this image needs {Mb(bytes)} MB and {Mb(MaxBytes - used)} MB of the {Mb(MaxBytes)} MB are left; remove images from the list");
        }
    }

    /// <summary>Adds the entry <paramref name="create"/> makes with a unique name for <paramref name="uploadName"/>.</summary>
    public ImageEntry Add(string? uploadName, Func<string, ImageEntry> create)
    {
        lock (gate)
        {
            var entry = create(UniqueName(uploadName));
            EnsureRoomFor(entry.Bytes, entry.Name);
            entries.Add(entry);
            return entry;
        }
    }

    public bool Remove(string id) { lock (gate) return entries.RemoveAll(e => e.Id == id) > 0; }

    /// <summary>A file-name stem for <paramref name="uploadName"/> (letters, digits, '-', '_', '.'), unique in the session.</summary>
    string UniqueName(string? uploadName)
    {
        string stem = Path.GetFileNameWithoutExtension(Path.GetFileName((uploadName ?? "").Replace('\\', '/')));
        stem = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        if (stem.Length > 80) stem = stem[..80];
        if (stem.Length == 0) stem = "image";
        string name = stem;
        for (int k = 2; entries.Any(e => e.Name == name); k++) name = $"{stem}-{k}";
        return name;
    }

    public static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    static long Mb(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}

/// <summary>The session has no room for another image (HTTP 413).</summary>
public sealed class SessionFullException(string name, string problem) : TooLargeException(name, problem);
