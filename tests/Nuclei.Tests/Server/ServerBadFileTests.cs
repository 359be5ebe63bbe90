using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Nuclei.Server;

namespace Nuclei.Tests.Server;

/// <summary>
/// Whatever the bytes of an upload, <c>nuclei serve</c> answers a 4xx with a one-line message naming it, never a 500:
/// the test images cut short and with bytes overwritten all along their headers, and TIFFs crafted to loop or overflow.
/// </summary>
public sealed class ServerBadFileTests : IDisposable
{
    readonly ServerFactory factory = new(new FakeEngine(), new ServerOptions(MaxSessionBytes: 1L << 30));
    readonly HttpClient client;

    public ServerBadFileTests() => client = factory.CreateClient();

    public void Dispose()
    {
        client.Dispose();
        factory.Dispose();
    }

    static IEnumerable<(string What, byte[] Bytes)> Originals() =>
    [
        ("png", TestImages.Png()), ("jpeg", TestImages.Jpeg()), ("tiff16", TestImages.Tiff16()),
        ("two-channel ome-tiff", TestImages.TwoChannelTiff()), ("two-page tiff", TestImages.TwoPageTiff()),
    ];

    /// <summary>Each original cut at a few lengths, and with one byte overwritten every 7 of its first 256 (headers, IFDs, chunk lengths).</summary>
    static IEnumerable<(string What, byte[] Bytes)> Damaged()
    {
        foreach (var (what, bytes) in Originals())
        {
            foreach (int length in new[] { 8, 16, 30, bytes.Length / 4, bytes.Length / 2, bytes.Length - 10 })
                yield return ($"{what} cut to {length} bytes", bytes[..length]);
            for (int at = 0; at < Math.Min(256, bytes.Length); at += 7)
                foreach (byte value in new byte[] { 0xFF, 0x00, 0x80 })
                {
                    var copy = (byte[])bytes.Clone();
                    copy[at] = value;
                    yield return ($"{what} with byte {at} set to {value:X2}", copy);
                }
        }
    }

    async Task<(HttpStatusCode Status, string Body)> Send(string route, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await client.PostAsync($"{route}?name=bad.tif", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    static void AssertAnswered(string what, string route, HttpStatusCode status, string body)
    {
        Assert.True((int)status is >= 200 and < 500, $"{what} on {route}: {(int)status} {body}");
        if ((int)status < 400) return;
        string error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
        Assert.True(error.StartsWith("bad.tif: ", StringComparison.Ordinal), $"{what} on {route}: {error}");
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain(" at ", error);
    }

    [Fact]
    public async Task Damaged_images_get_an_answer_naming_the_upload_never_a_500()
    {
        foreach (var (what, bytes) in Damaged())
            foreach (string route in new[] { "/api/inspect", "/api/images" })
            {
                var (status, body) = await Send(route, bytes);
                AssertAnswered(what, route, status, body);
            }
    }

    [Fact]
    public async Task A_tiff_whose_pages_loop_or_declare_huge_sizes_gets_an_answer_never_a_500()
    {
        byte[] looped = TestImages.TwoPageTiff();
        uint first = Tiff32(looped, 4);
        uint second = Tiff32(looped, NextPointer(looped, first));
        WriteTiff32(looped, NextPointer(looped, second), first); // page 1 → page 2 → page 1 → ...

        byte[] huge = TestImages.Tiff16();
        first = Tiff32(huge, 4);
        for (int k = 0; k < Tiff16(huge, (int)first); k++)
        {
            int e = (int)first + 2 + 12 * k;
            if (Tiff16(huge, e) is 256 or 257) huge.AsSpan(e + 8, 4).Fill(0xFF); // ImageWidth, ImageLength: as large as a SHORT or LONG goes
        }

        foreach (var (what, bytes) in new[] { ("looped pages", looped), ("huge size", huge) })
            foreach (string route in new[] { "/api/inspect", "/api/images", "/api/jobs" })
            {
                var (status, body) = await Send(route, bytes);
                AssertAnswered(what, route, status, body);
            }
    }

    static bool Little(byte[] tiff) => tiff[0] == (byte)'I';

    static uint Tiff32(byte[] tiff, int at) =>
        Little(tiff) ? BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(tiff.AsSpan(at));

    static ushort Tiff16(byte[] tiff, int at) =>
        Little(tiff) ? BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(tiff.AsSpan(at));

    static void WriteTiff32(byte[] tiff, int at, uint value)
    {
        if (Little(tiff)) BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(at), value);
    }

    /// <summary>Where the IFD at <paramref name="ifd"/> keeps the offset of the next one (TIFF 6.0 §2).</summary>
    static int NextPointer(byte[] tiff, uint ifd) => (int)ifd + 2 + 12 * Tiff16(tiff, (int)ifd);
}
