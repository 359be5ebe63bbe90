using Microsoft.AspNetCore.Http;
using Nuclei.Core;

namespace Nuclei.Server.Uploads;

/// <summary>
/// Reads a request body into memory, refusing it as soon as it passes the limit (declared or actual length). A body
/// of declared length is read into one array of that length, so it takes its length and no more while it is read.
/// </summary>
internal static class BodyReader
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, string name, CancellationToken cancel)
    {
        CheckDeclared(request, maxBytes, name);
        return request.ContentLength is long length ? await Exactly(request.Body, length, name, cancel) : await Growing(request.Body, maxBytes, name, cancel);
    }

    /// <summary>Refuses a body whose declared length is over <paramref name="maxBytes"/>, before anything is read.</summary>
    public static void CheckDeclared(HttpRequest request, long maxBytes, string name)
    {
        if (request.ContentLength > maxBytes)
            throw new TooLargeException(name, $"the upload is {request.ContentLength} bytes, over the limit of {maxBytes}");
    }

    /// <summary>The most memory reading <paramref name="request"/>'s body takes: its declared length, else a growing buffer and its final copy.</summary>
    public static long MostBytes(HttpRequest request, long maxBytes) => request.ContentLength ?? 2 * maxBytes;

    static async Task<byte[]> Exactly(Stream body, long length, string name, CancellationToken cancel)
    {
        var data = new byte[length];
        try { await body.ReadExactlyAsync(data, cancel); }
        catch (EndOfStreamException) { throw new NucleiInputException(name, $"the upload ended before the {length} bytes it declared"); }
        return data;
    }

    static async Task<byte[]> Growing(Stream body, long maxBytes, string name, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new TooLargeException(name, $"the upload is over the limit of {maxBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
