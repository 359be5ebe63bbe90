using Microsoft.AspNetCore.Http;

namespace Nuclei.Server.Uploads;

/// <summary>Reads a request body into memory, refusing it as soon as it passes the limit (declared or actual length).</summary>
public static class BodyReader
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, string name, CancellationToken cancel)
    {
        if (request.ContentLength > maxBytes)
            throw new TooLargeException(name, $"the upload is {request.ContentLength} bytes, over the limit of {maxBytes}");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new TooLargeException(name, $"the upload is over the limit of {maxBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
