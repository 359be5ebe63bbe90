using System.Security.Cryptography;
using Nuclei.Server.Uploads;

namespace Nuclei.Server.Sessions;

/// <summary>
/// One session's images, in memory only (lost on restart), in upload order, within a memory budget: the bytes its
/// images hold plus the bytes reserved for uploads not segmented yet. What it holds is also taken from the server's
/// budget for all sessions (<paramref name="server"/>). Thread-safe.
/// </summary>
internal sealed class SessionStore(long maxBytes, MemoryBudget? server = null)
{
    readonly object gate = new();
    readonly List<ImageEntry> entries = new();
    readonly MemoryBudget server = server ?? new MemoryBudget(long.MaxValue);
    long held, reserved;
    bool closed;

    public long MaxBytes { get; } = maxBytes;

    /// <summary>Bytes the session's images hold.</summary>
    public long Bytes { get { lock (gate) return held; } }

    /// <summary>Bytes promised to uploads being decoded, queued or predicted.</summary>
    public long ReservedBytes { get { lock (gate) return reserved; } }

    /// <summary>Held and reserved together, read at once: what the budget is checked against.</summary>
    public long UsedBytes { get { lock (gate) return held + reserved; } }

    /// <summary>No image held and nothing reserved.</summary>
    public bool IsEmpty { get { lock (gate) return entries.Count == 0 && reserved == 0; } }

    public IReadOnlyList<ImageEntry> All { get { lock (gate) return entries.ToList(); } }

    public ImageEntry? Find(string id) { lock (gate) return entries.FirstOrDefault(e => e.Id == id); }

    /// <summary>
    /// Reserves <paramref name="bytes"/> for an upload before it is decoded, checking and adding in one step, or
    /// refuses it: the session's budget is full (413) or the server's is (503).
    /// </summary>
    public Reservation Reserve(long bytes, string name)
    {
        lock (gate)
        {
            Take(bytes, name, held + reserved);
            reserved += bytes;
        }
        return new Reservation(this, bytes);
    }

    /// <summary>Gives back a reservation's bytes (<see cref="Reservation.Dispose"/>).</summary>
    internal void Release(long bytes)
    {
        lock (gate)
        {
            reserved -= bytes;
            server.Give(bytes);
        }
    }

    /// <summary>
    /// Adds the entry <paramref name="create"/> makes with a unique name for <paramref name="uploadName"/>, its
    /// memory taken from <paramref name="reservation"/> (the estimate; what is over its actual size is given back).
    /// </summary>
    /// <exception cref="OperationCanceledException">the session was closed meanwhile</exception>
    public ImageEntry Add(string? uploadName, Func<string, ImageEntry> create, Reservation reservation)
    {
        lock (gate)
        {
            if (closed) throw new OperationCanceledException("the session was closed");
            var entry = create(UniqueName(uploadName));
            long extra = entry.Bytes - reservation.Bytes;
            if (extra > 0) Take(extra, entry.Name, held + reserved); // an estimate too low must not let the session grow past its budget
            if (!reservation.Settle()) throw new InvalidOperationException("the reservation was already given back");
            reserved -= reservation.Bytes;
            held += entry.Bytes;
            if (extra < 0) server.Give(-extra);
            entries.Add(entry);
            return entry;
        }
    }

    public bool Remove(string id)
    {
        lock (gate)
        {
            int k = entries.FindIndex(e => e.Id == id);
            if (k < 0) return false;
            Forget(entries[k]);
            entries.RemoveAt(k);
            return true;
        }
    }

    /// <summary>Drops every image and refuses new ones; reservations still out give their bytes back when disposed.</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            foreach (var e in entries) Forget(e);
            entries.Clear();
        }
    }

    void Forget(ImageEntry e)
    {
        held -= e.Bytes;
        server.Give(e.Bytes);
    }

    /// <summary>Takes <paramref name="bytes"/> beside <paramref name="used"/> from the session's budget and the server's, or throws.</summary>
    void Take(long bytes, string name, long used)
    {
        if (closed)
            throw new ServerBusyException(name, "this session was closed (idle too long, or the server restarted); reload the page");
        if (bytes > MaxBytes - used)
            throw new SessionFullException(name, $"the session is full: this image needs {Mb(bytes)} MB and {Mb(Math.Max(MaxBytes - used, 0))} MB of the {Mb(MaxBytes)} MB are left; remove images from the list");
        server.Take(bytes, name);
    }

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

    static long Mb(long bytes) => MemoryBudget.Mb(bytes);
}

/// <summary>The session has no room for another image (HTTP 413).</summary>
internal sealed class SessionFullException(string name, string problem) : TooLargeException(name, problem);
