using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Server.Sessions;
using Nuclei.Server.Uploads;

namespace Nuclei.Server.Api;

/// <summary>
/// A corrected label map sent by the page: little-endian 32-bit integers row by row (as <c>labels.bin</c> gives them),
/// <c>?width=&amp;height=</c> in the query, which must be the image's. The body is bounded by that size and its memory
/// counted in the session's budget while it is read; every label must be within 0..<see cref="MaxLabel"/>.
/// </summary>
internal static class LabelMapBody
{
    /// <summary>2²⁴, the largest label a label map file may hold here (as everywhere in the project).</summary>
    public const int MaxLabel = 1 << 24;

    /// <exception cref="NucleiInputException">a size or value that does not fit the image (400)</exception>
    /// <exception cref="UnsupportedUploadException">not sent as application/octet-stream (415)</exception>
    public static async Task<LabelImage> ReadAsync(HttpContext context, ImageEntry entry, SessionStore session)
    {
        var request = context.Request;
        if (!string.Equals(request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedUploadException(entry.Name, "send the label map as the request body with Content-Type application/octet-stream");
        var (width, height) = SizeOf(request.Query, entry);
        long expected = 4L * width * height;
        if (request.ContentLength is long declared && declared != expected) throw WrongLength(entry, declared, width, height);
        // the server's body limit is the upload's (--max-upload-mb); a map's own bound is its size, which may be larger
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = expected;
        using var body = await UploadBody.ReadAsync(request, entry.Name, expected, session, context.RequestAborted);
        if (body.Data.Length != expected) throw WrongLength(entry, body.Data.Length, width, height);
        var labels = new LabelImage(height, width);
        Buffer.BlockCopy(body.Data, 0, labels.Data, 0, body.Data.Length); // little-endian on every platform .NET runs this on
        CheckValues(labels, entry.Name);
        return labels;
    }

    /// <summary>The width and height the query gives, when they are the image's.</summary>
    static (int Width, int Height) SizeOf(IQueryCollection query, ImageEntry entry)
    {
        if (!int.TryParse(query["width"], out int width) || !int.TryParse(query["height"], out int height))
            throw new NucleiInputException(entry.Name, "give the label map's size in the query: ?width=W&height=H");
        if (width != entry.Image.Width || height != entry.Image.Height)
            throw new NucleiInputException(entry.Name, $"the label map is {width}x{height}, but the image is {entry.Image.Width}x{entry.Image.Height}");
        return (width, height);
    }

    static NucleiInputException WrongLength(ImageEntry entry, long bytes, int width, int height) =>
        new(entry.Name, $"the label map is {bytes} bytes, but a {width}x{height} map is {4L * width * height} (4 bytes a pixel)");

    static void CheckValues(LabelImage labels, string name)
    {
        int[] data = labels.Data;
        for (int i = 0; i < data.Length; i++)
            if (data[i] is < 0 or > MaxLabel)
                throw new NucleiInputException(name, $"the label map holds {data[i]} at pixel {i % labels.Width},{i / labels.Width}; labels must be within 0..{MaxLabel}");
    }
}
