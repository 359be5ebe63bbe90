using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Server;
using Nuclei.Server.Api;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Server;

/// <summary>
/// Saving a corrected label map (<c>PUT /api/images/{id}/corrections</c>) and downloading the training set of
/// corrections (<c>/api/training-set.zip</c>): what is kept, what is refused and why, and that the zip is a dataset the
/// trainer's reader loads, with the image and masks as sent.
/// </summary>
public sealed class ServerCorrectionTests : IDisposable
{
    readonly ServerFactory factory = new(new FakeEngine());
    readonly HttpClient client;
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-corrections-").FullName;

    public ServerCorrectionTests() => client = factory.CreateClient();

    public void Dispose()
    {
        client.Dispose();
        factory.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    async Task<ImageSummary> Upload(byte[] bytes, string name = "cells.png")
    {
        var response = await client.PostAsync($"/api/images?name={name}", Octets(bytes));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImageSummary>(ServerJson.Options))!;
    }

    async Task<int[]> Labels(string id)
    {
        byte[] bytes = await client.GetByteArrayAsync($"/api/images/{id}/labels.bin");
        var labels = new int[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, labels, 0, bytes.Length);
        return labels;
    }

    static byte[] Bytes(int[] labels)
    {
        var bytes = new byte[labels.Length * 4];
        Buffer.BlockCopy(labels, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    Task<HttpResponseMessage> Save(string id, int width, int height, byte[] body) =>
        client.PutAsync($"/api/images/{id}/corrections?width={width}&height={height}", Octets(body));

    static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

    /// <summary>The model's labels with the nucleus under (60, 24) deleted and a 10×10 square added at x 75..84, y 45..54 as a new label.</summary>
    static int[] Corrected(int[] labels, out int square)
    {
        var edited = (int[])labels.Clone();
        int gone = edited[24 * 96 + 60];
        Assert.NotEqual(0, gone);
        for (int i = 0; i < edited.Length; i++) if (edited[i] == gone) edited[i] = 0;
        square = labels.Max() + 1;
        for (int y = 45; y < 55; y++)
            for (int x = 75; x < 85; x++) { Assert.Equal(0, edited[y * 96 + x]); edited[y * 96 + x] = square; }
        return edited;
    }

    [Fact]
    public async Task A_saved_correction_becomes_the_images_labels_until_it_is_discarded()
    {
        var summary = await Upload(TestImages.Png());
        var edited = Corrected(await Labels(summary.Id), out _);

        var response = await Save(summary.Id, 96, 96, Bytes(edited));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(summary.Id, saved.GetProperty("image_id").GetString());
        Assert.Equal(TestImages.Disks, saved.GetProperty("count_before").GetInt32());
        Assert.Equal(TestImages.Disks, saved.GetProperty("count_after").GetInt32()); // one deleted, one drawn
        Assert.True(saved.TryGetProperty("saved_utc", out _));

        Assert.Equal(edited, await Labels(summary.Id));
        var now = (await client.GetFromJsonAsync<ImageSummary>($"/api/images/{summary.Id}", ServerJson.Options))!;
        Assert.True(now.Corrected);
        Assert.Contains(now.Nuclei, row => row[1] == 100); // the square's area, measured

        // thresholds would throw the edits away: refused until they are discarded
        var thresholds = new StringContent("""{"body":0.5,"contour":0.5,"marker":0.5,"min_size":100}""", System.Text.Encoding.UTF8, "application/json");
        var refused = await client.PostAsync($"/api/images/{summary.Id}/thresholds", thresholds);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("cells: its labels are your saved corrections; discard them first to change the thresholds", await ErrorOf(refused));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/images/{summary.Id}/corrections")).StatusCode);
        Assert.False((await client.GetFromJsonAsync<ImageSummary>($"/api/images/{summary.Id}", ServerJson.Options))!.Corrected);
        Assert.Equal(3, (await Labels(summary.Id)).Where(l => l > 0).Distinct().Count());
        thresholds = new StringContent("""{"body":0.5,"contour":0.5,"marker":0.5,"min_size":100}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/images/{summary.Id}/thresholds", thresholds)).StatusCode);
    }

    [Fact]
    public async Task A_second_save_keeps_the_models_count_as_the_count_before()
    {
        var summary = await Upload(TestImages.Png());
        var labels = await Labels(summary.Id);
        var edited = Corrected(labels, out _);
        Assert.Equal(HttpStatusCode.OK, (await Save(summary.Id, 96, 96, Bytes(edited))).StatusCode);
        var none = new int[labels.Length];
        var second = JsonDocument.Parse(await (await Save(summary.Id, 96, 96, Bytes(none))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(TestImages.Disks, second.GetProperty("count_before").GetInt32());
        Assert.Equal(0, second.GetProperty("count_after").GetInt32());
    }

    public static TheoryData<string, int, int, string> BadMaps => new()
    {
        // query size, body length in pixels, one label value: and the message
        { "width=10&height=10", 100, 1, "cells: the label map is 10x10, but the image is 96x96" },
        { "width=96", 96 * 96, 1, "cells: give the label map's size in the query: ?width=W&height=H" },
        { "width=96&height=96", 96 * 95, 1, "cells: the label map is 36480 bytes, but a 96x96 map is 36864 (4 bytes a pixel)" },
        { "width=96&height=96", 96 * 96 + 1, 1, "cells: the label map is 36868 bytes, but a 96x96 map is 36864 (4 bytes a pixel)" },
        { "width=96&height=96", 96 * 96, (1 << 24) + 1, "cells: the label map holds 16777217 at pixel 5,1; labels must be within 0..16777216" },
        { "width=96&height=96", 96 * 96, -3, "cells: the label map holds -3 at pixel 5,1; labels must be within 0..16777216" },
    };

    [Theory]
    [MemberData(nameof(BadMaps))]
    public async Task A_map_that_does_not_fit_the_image_is_refused_with_one_line_naming_the_problem(string query, int pixels, int value, string message)
    {
        var summary = await Upload(TestImages.Png());
        var labels = new int[pixels];
        if (labels.Length > 96 + 5) labels[96 + 5] = value;
        var response = await client.PutAsync($"/api/images/{summary.Id}/corrections?{query}", Octets(Bytes(labels)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string error = await ErrorOf(response);
        Assert.Equal(message, error);
        Assert.DoesNotContain('\n', error);
        Assert.False((await client.GetFromJsonAsync<ImageSummary>($"/api/images/{summary.Id}", ServerJson.Options))!.Corrected);
    }

    [Fact]
    public async Task A_map_for_an_unknown_image_is_404_and_one_not_sent_as_octets_is_415()
    {
        var unknown = await Save("0123456789abcdef", 96, 96, new byte[96 * 96 * 4]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("no image '0123456789abcdef' in this session", await ErrorOf(unknown));

        var summary = await Upload(TestImages.Png());
        var json = await client.PutAsync($"/api/images/{summary.Id}/corrections?width=96&height=96", new StringContent("[0,0]", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal("cells: send the label map as the request body with Content-Type application/octet-stream", await ErrorOf(json));
    }

    [Fact]
    public async Task A_body_of_unknown_length_is_cut_off_at_the_images_map_size()
    {
        var summary = await Upload(TestImages.Png());
        var content = new StreamContent(new MemoryStream(new byte[96 * 96 * 4 + 4096])); // no Content-Length: read until it passes the bound
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/images/{summary.Id}/corrections?width=96&height=96") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("cells: the upload is over the limit of 36864 bytes", await ErrorOf(response));
    }

    [Fact]
    public async Task The_training_set_is_refused_until_a_correction_is_saved()
    {
        await Upload(TestImages.Png());
        var response = await client.GetAsync("/api/training-set.zip");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("no image of this session has saved corrections: edit an image on the page and save it first", await ErrorOf(response));
        var set = JsonDocument.Parse(await client.GetStringAsync("/api/training-set")).RootElement;
        Assert.Equal(0, set.GetProperty("corrected").GetArrayLength());
        Assert.Equal("nuclei train --data nuclei-training-set --out runs/corrected train.init_from=MODEL.nck train.time_budget_minutes=5 train.freeze_batch_norm=True",
            set.GetProperty("retrain_command").GetString());
        Assert.Equal("unzip nuclei-training-set.zip -d nuclei-training-set", set.GetProperty("unzip").GetString());
    }

    [Theory]
    [InlineData("png")]
    [InlineData("tiff16")]
    public async Task The_training_set_zip_is_a_dsb_dataset_the_trainer_loads_with_the_image_and_masks_as_corrected(string format)
    {
        byte[] upload = format == "png" ? TestImages.Png() : TestImages.Tiff16();
        var summary = await Upload(upload, "cells." + format);
        await Upload(TestImages.Png(), "untouched.png");
        var edited = Corrected(await Labels(summary.Id), out _);
        Assert.Equal(HttpStatusCode.OK, (await Save(summary.Id, 96, 96, Bytes(edited))).StatusCode);

        var response = await client.GetAsync("/api/training-set.zip");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("nuclei-training-set.zip", response.Content.Headers.ContentDisposition!.ToString());
        string root = Path.Combine(dir, "set");
        ZipFile.ExtractToDirectory(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), root);

        // the layout, and what the provenance says
        Assert.Equal(["cells/images/cells.png", "cells/masks/0001.png", "cells/masks/0002.png", "cells/masks/0003.png", "provenance.json"],
            Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
        var provenance = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "provenance.json"))).RootElement;
        Assert.Equal("nuclei serve", provenance.GetProperty("tool").GetString());
        Assert.False(string.IsNullOrEmpty(provenance.GetProperty("tool_version").GetString()));
        Assert.Equal("fake engine (brightness)", provenance.GetProperty("model").GetProperty("description").GetString());
        var image = provenance.GetProperty("images").EnumerateArray().Single();
        Assert.Equal("cells", image.GetProperty("id").GetString());
        Assert.Equal((TestImages.Disks, TestImages.Disks), (image.GetProperty("count_before").GetInt32(), image.GetProperty("count_after").GetInt32()));
        Assert.Equal(format == "png" ? "8-bit, as decoded" : "16-bit, as decoded", image.GetProperty("picture").GetString());
        Assert.Equal(["untouched"], provenance.GetProperty("not_included").EnumerateArray().Select(e => e.GetString()));

        // the trainer's reader: one sample, its image as the server decoded the upload, its nuclei as corrected
        var samples = DsbDataset.Scan(root).Samples;
        var warnings = new List<string>();
        var loaded = TrainingData.Load(samples, csv: null, groupColumn: "kind", minObjectSize: 0, warnings.Add);
        Assert.Empty(warnings);
        var item = Assert.Single(loaded);
        Assert.Equal("cells", item.Id);
        var decoded = ImageIO.ReadImage(upload, "upload").Data;
        Assert.Equal(decoded.Length, item.Image.Data.Length);
        Assert.True(decoded.Zip(item.Image.Data).Max(p => Math.Abs(p.First - p.Second)) < 1e-6);
        Assert.Equal(Regions(edited), Regions(item.Labels.Data));
        Assert.Equal(100, item.Labels.Data.Count(l => l == item.Labels.Data[50 * 96 + 80]));
    }

    /// <summary>A label map's nuclei as sets of pixels, whatever their numbers.</summary>
    static List<string> Regions(int[] labels) =>
        Enumerable.Range(0, labels.Length).Where(i => labels[i] > 0).GroupBy(i => labels[i])
            .Select(g => string.Join(",", g)).Order(StringComparer.Ordinal).ToList();
}
