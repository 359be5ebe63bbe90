using Microsoft.AspNetCore.Http;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Uploads;

/// <summary>
/// An upload's name and bytes, their memory taken from the server's budget for all sessions before the body is read
/// and given back when disposed: many uploads at once wait for no one, but cannot hold more than the server allows.
/// </summary>
internal sealed class UploadBody : IDisposable
{
    readonly MemoryBudget memory;
    readonly long taken;
    int disposed;

    UploadBody(string name, byte[] data, MemoryBudget memory, long taken)
    {
        Name = name; Data = data; this.memory = memory; this.taken = taken;
    }

    public string Name { get; }
    public byte[] Data { get; }

    /// <exception cref="TooLargeException">over <paramref name="maxBytes"/> (413)</exception>
    /// <exception cref="ServerBusyException">the server has no room for it now (503)</exception>
    public static async Task<UploadBody> ReadAsync(HttpRequest request, string name, long maxBytes, MemoryBudget memory, CancellationToken cancel)
    {
        BodyReader.CheckDeclared(request, maxBytes, name);
        long taken = BodyReader.MostBytes(request, maxBytes);
        memory.Take(taken, name);
        try { return new UploadBody(name, await BodyReader.ReadAsync(request, maxBytes, name, cancel), memory, taken); }
        catch { memory.Give(taken); throw; }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) memory.Give(taken);
    }
}
