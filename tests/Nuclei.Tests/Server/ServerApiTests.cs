using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nuclei.Core.Imaging;
using Nuclei.Server;
using Nuclei.Server.Api;

namespace Nuclei.Tests.Server;

/// <summary>Every endpoint of <c>nuclei serve</c>, good and bad requests, through the real pipeline with a network-free engine.</summary>
public sealed class ServerApiTests : IDisposable
{
    readonly FakeEngine engine = new();
    readonly ServerFactory factory;
    readonly HttpClient client;

    public ServerApiTests()
    {
        factory = new ServerFactory(engine);
        client = factory.CreateClient();
    }

    public void Dispose()
    {
        client.Dispose();
        factory.Dispose();
    }

    static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    static Task<HttpResponseMessage> Upload(HttpClient c, byte[] bytes, string name = "cells.png") =>
        c.PostAsync($"/api/images?name={Uri.EscapeDataString(name)}", Octets(bytes));

    static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

    async Task<ImageSummary> Uploaded(byte[] bytes, string name = "cells.png")
    {
        var response = await Upload(client, bytes, name);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImageSummary>(ServerJson.Options))!;
    }

    [Fact]
    public async Task Page_and_its_files_are_served_with_a_strict_content_policy()
    {
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("lost when it restarts", await page.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("text/javascript", (await client.GetAsync("/app.js")).Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/css", (await client.GetAsync("/app.css")).Content.Headers.ContentType!.MediaType);
        var info = JsonDocument.Parse(await client.GetStringAsync("/api/info")).RootElement;
        Assert.Equal(0.5, info.GetProperty("defaults").GetProperty("body").GetDouble());
        Assert.Equal(8, info.GetProperty("downloads").GetArrayLength());
        var labels = info.GetProperty("download_labels");   // the page names each download by these
        foreach (var kind in info.GetProperty("downloads").EnumerateArray())
            Assert.False(string.IsNullOrEmpty(labels.GetProperty(kind.GetString()!).GetString()), kind.GetString());
        Assert.Equal("GeoJSON", labels.GetProperty("geojson").GetString());
    }

    [Theory]
    [InlineData("png")]
    [InlineData("tiff16")]
    [InlineData("jpeg")]
    public async Task An_upload_is_segmented_and_listed(string format)
    {
        byte[] bytes = format switch { "png" => TestImages.Png(), "tiff16" => TestImages.Tiff16(), _ => TestImages.Jpeg() };
        var summary = await Uploaded(bytes, "../../etc/passwd." + format); // the name is a label, never a path
        Assert.Equal(TestImages.Disks, summary.Count);
        Assert.Equal(TestImages.Disks, summary.Nuclei.Count);
        Assert.Equal((96, 96), (summary.Width, summary.Height));
        Assert.Equal("passwd", summary.Name);
        Assert.Equal(summary.Count, (await client.GetFromJsonAsync<ImageSummary>($"/api/images/{summary.Id}", ServerJson.Options))!.Count);
        var list = JsonDocument.Parse(await client.GetStringAsync("/api/images")).RootElement;
        Assert.Equal(summary.Id, list[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Changing_thresholds_reruns_post_processing_only()
    {
        var summary = await Uploaded(TestImages.Png());
        var response = await client.PostAsJsonAsync($"/api/images/{summary.Id}/thresholds", summary.Thresholds with { MinSize = 100 }, ServerJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changed = (await response.Content.ReadFromJsonAsync<ImageSummary>(ServerJson.Options))!;
        Assert.Equal(TestImages.DisksOver100Pixels, changed.Count);
        Assert.Equal(1, engine.Predictions);
        // the labels served follow the new thresholds
        byte[] labels = await client.GetByteArrayAsync($"/api/images/{summary.Id}/labels.bin");
        Assert.Equal(96 * 96 * 4, labels.Length);
        var values = new int[96 * 96];
        Buffer.BlockCopy(labels, 0, values, 0, labels.Length);
        Assert.Equal(TestImages.DisksOver100Pixels, values.Where(v => v > 0).Distinct().Count());
    }

    [Theory]
    [InlineData("{\"body\": 1.5, \"contour\": 0.5, \"marker\": 0.5, \"min_size\": 10}", "threshold body must be within 0..1")]
    [InlineData("{\"body\": 0.5, \"contour\": 0.5, \"marker\": 0.5, \"min_size\": -1}", "min size must be within")]
    [InlineData("{\"body\": ", "thresholds are not valid JSON")]
    [InlineData("null", "no thresholds given")]
    public async Task Bad_thresholds_get_a_400_with_the_reason(string json, string expected)
    {
        var summary = await Uploaded(TestImages.Png());
        var response = await client.PostAsync($"/api/images/{summary.Id}/thresholds", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await ErrorOf(response));
    }

    [Fact]
    public async Task Every_download_holds_the_current_result()
    {
        var summary = await Uploaded(TestImages.Png(), "cells.png");
        string root = $"/api/images/{summary.Id}/files/";
        string csv = await client.GetStringAsync(root + "measurements.csv");
        Assert.Equal(1 + summary.Count, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("image,label,area_px", csv);
        string rle = await client.GetStringAsync(root + "rle.csv");
        Assert.Equal(1 + summary.Count, rle.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var png = await client.GetAsync(root + "labels.png");
        Assert.Equal("cells.labels.png", png.Content.Headers.ContentDisposition!.FileNameStar ?? png.Content.Headers.ContentDisposition.FileName);
        string path = Path.Combine(Path.GetTempPath(), $"nuclei-serve-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(path, await png.Content.ReadAsByteArrayAsync());
            Assert.Equal(summary.Count, ImageIO.ReadLabels(path).MaxLabel());
        }
        finally { File.Delete(path); }
        foreach (string kind in new[] { "labels.tif", "overlay.png", "geojson", "rois.zip" })
            Assert.True((await client.GetByteArrayAsync(root + kind)).Length > 0, kind);
        using var zip = new ZipArchive(new MemoryStream(await client.GetByteArrayAsync(root + "all.zip")));
        Assert.Equal(7, zip.Entries.Count);
        var unknown = await client.GetAsync(root + "secrets.txt");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown download 'secrets.txt'", await ErrorOf(unknown));
    }

    [Fact]
    public async Task The_session_zip_holds_every_image_and_a_joint_measurements_csv()
    {
        await Uploaded(TestImages.Png(), "a.png");
        await Uploaded(TestImages.Png(), "a.png"); // same name: kept apart
        using var zip = new ZipArchive(new MemoryStream(await client.GetByteArrayAsync("/api/session.zip")));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("a/a.labels.png", names);
        Assert.Contains("a-2/a-2.measurements.csv", names);
        using var reader = new StreamReader(zip.GetEntry("measurements.csv")!.Open());
        Assert.Equal(1 + 2 * TestImages.Disks, reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_removed_image_is_gone()
    {
        var summary = await Uploaded(TestImages.Png());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/images/{summary.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/images/{summary.Id}")).StatusCode);
        Assert.Equal("[]", await client.GetStringAsync("/api/images"));
    }

    [Theory]
    [InlineData("GET", "/api/images/0123456789abcdef")]
    [InlineData("GET", "/api/images/0123456789abcdef/labels.bin")]
    [InlineData("GET", "/api/images/0123456789abcdef/picture.png")]
    [InlineData("GET", "/api/images/0123456789abcdef/files/labels.png")]
    [InlineData("POST", "/api/images/0123456789abcdef/thresholds")]
    [InlineData("DELETE", "/api/images/0123456789abcdef")]
    public async Task An_unknown_image_id_is_a_404(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = JsonContent.Create(new { body = 0.5, contour = 0.5, marker = 0.5, min_size = 10 });
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no image '0123456789abcdef' in this session", await ErrorOf(response));
    }

    public static TheoryData<string, byte[], string> BadUploads => new()
    {
        { "garbage", Encoding.ASCII.GetBytes("this is not an image at all, just text"), "not a PNG, TIFF or JPEG image" },
        { "empty", [], "the upload is empty" },
        { "truncated header", TestImages.Png()[..20], "header is truncated or malformed" },
        { "corrupt data", TestImages.Png()[..60], "cannot decode image" },
        { "html named .png", Encoding.ASCII.GetBytes("<html><script>alert(1)</script></html>"), "not a PNG, TIFF or JPEG image" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task A_malformed_upload_is_a_400_with_a_clear_message(string what, byte[] bytes, string expected)
    {
        var response = await Upload(client, bytes, "cells.png");
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        string error = await ErrorOf(response);
        Assert.StartsWith("cells.png: ", error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain(" at ", error);
    }

    [Fact]
    public async Task An_image_with_too_many_pixels_is_refused_from_its_header()
    {
        byte[] png = TestImages.Png();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 100_000); // IHDR width
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 100_000); // IHDR height
        var response = await Upload(client, png);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("100000x100000 = 10000000000 pixels, over the limit", await ErrorOf(response));
        Assert.Equal(0, engine.Predictions);
    }

    [Fact]
    public async Task Uploads_over_the_byte_limit_and_beyond_the_session_memory_get_413()
    {
        using var small = new ServerFactory(engine, new ServerOptions(MaxUploadBytes: 100));
        var tooBig = await Upload(small.CreateClient(), TestImages.Png());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Contains("over the limit of 100", await ErrorOf(tooBig));

        using var full = new ServerFactory(engine, new ServerOptions(MaxSessionBytes: 96 * 96 * (Nuclei.Server.Sessions.JobMemory.BytesPerPixel + 6)));   // one job, then the image kept (28 B/px) leaves no room for another job
        var c = full.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await Upload(c, TestImages.Png())).StatusCode);
        var second = await Upload(c, TestImages.Png());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, second.StatusCode);
        Assert.Contains("the session is full", await ErrorOf(second));
    }

    [Fact]
    public async Task An_upload_must_be_sent_as_octet_stream()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png()), "file", "cells.png" } };
        var response = await client.PostAsync("/api/images?name=cells.png", form);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Type application/octet-stream", await ErrorOf(response));
    }

    [Fact]
    public async Task With_an_access_token_every_request_needs_it()
    {
        using var guarded = new ServerFactory(engine, new ServerOptions(AccessToken: "s3cret-token"));
        var c = guarded.CreateClient();
        foreach (string path in new[] { "/", "/api/info", "/api/images", "/api/session.zip" })
        {
            var response = await c.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("missing or wrong access token", await ErrorOf(response));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/info?token=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Upload(c, TestImages.Png())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/?token=s3cret-token")).StatusCode);
        c.DefaultRequestHeaders.Add(RequestGuard.Header, "s3cret-token");
        Assert.Equal(HttpStatusCode.Created, (await Upload(c, TestImages.Png())).StatusCode);
    }

    [Fact]
    public async Task On_loopback_a_foreign_host_name_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/info");
        request.Headers.Host = "attacker.example";
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("is not this machine", await ErrorOf(response));
    }

    [Fact]
    public async Task An_internal_failure_is_a_500_without_details()
    {
        using var broken = new ServerFactory(new FakeEngine { Failure = new InvalidOperationException("secret internal state") });
        var response = await Upload(broken.CreateClient(), TestImages.Png());
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("internal error", body);
        Assert.DoesNotContain("secret internal state", body);
        Assert.DoesNotContain("   at ", body);
    }

    [Fact]
    public async Task An_unknown_route_is_a_json_404()
    {
        var response = await client.GetAsync("/etc/passwd");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no such page or API", await ErrorOf(response));
    }
}
