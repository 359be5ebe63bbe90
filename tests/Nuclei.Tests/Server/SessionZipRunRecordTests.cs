using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Nuclei.Core.Configuration;
using Nuclei.Core.Output;
using Nuclei.Server.Api;
using Nuclei.Server.Engine;
using Xunit.Abstractions;

namespace Nuclei.Tests.Server;

/// <summary>The run.json in the page's "download all" zip: read by the project's own reader, it names the model, the uploads and each image's own settings.</summary>
public sealed class SessionZipRunRecordTests : IDisposable
{
    const string ModelSha256 = "5f0c6e1d9a3b4c2e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e";
    readonly ServerFactory factory = new(new FakeEngine { ModelFiles = [new EngineModelFile("models/nuclei-fake.pt", ModelSha256)] });
    readonly HttpClient client;
    readonly ITestOutputHelper output;

    public SessionZipRunRecordTests(ITestOutputHelper output)
    {
        this.output = output;
        client = factory.CreateClient();
    }

    public void Dispose()
    {
        client.Dispose();
        factory.Dispose();
    }

    async Task<ImageSummary> Uploaded(byte[] bytes, string name)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await client.PostAsync($"/api/images?name={Uri.EscapeDataString(name)}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImageSummary>(ServerJson.Options))!;
    }

    async Task<string> RunJsonOfZip()
    {
        using var zip = new ZipArchive(new MemoryStream(await client.GetByteArrayAsync("/api/session.zip")));
        using var reader = new StreamReader((zip.GetEntry(RunRecordFile.FileName) ?? throw new Xunit.Sdk.XunitException("no run.json in the zip")).Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task The_zip_run_json_names_the_model_each_upload_and_the_threshold_the_page_changed()
    {
        byte[] png = TestImages.Png(), tiff = TestImages.Tiff16();
        var changed = await Uploaded(png, "changed.png");
        var kept = await Uploaded(tiff, "kept.tif");
        // the model's labels saved back as the user's corrections: the image is then marked corrected
        var labels = new ByteArrayContent(await client.GetByteArrayAsync($"/api/images/{kept.Id}/labels.bin"));
        labels.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/images/{kept.Id}/corrections?width={kept.Width}&height={kept.Height}", labels)).StatusCode);
        var answer = await client.PostAsJsonAsync($"/api/images/{changed.Id}/thresholds", changed.Thresholds with { Body = 0.25f }, ServerJson.Options);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        string json = await RunJsonOfZip();
        output.WriteLine(json); // the whole record, for a reader of the test's log
        var run = RunRecordFile.Parse(json) ?? throw new Xunit.Sdk.XunitException("run.json does not parse:\n" + json);

        Assert.Equal(ModelSha256, Assert.Single(run.Models).Sha256);
        Assert.Equal(["nuclei", "serve"], run.CommandLine);
        Assert.Equal(2, run.Inputs.Count);
        Assert.Equal(("changed.png", png.LongLength, Convert.ToHexStringLower(SHA256.HashData(png))), (run.Inputs[0].Path, run.Inputs[0].Bytes, run.Inputs[0].Sha256));
        Assert.Equal(("kept.tif", tiff.LongLength, Convert.ToHexStringLower(SHA256.HashData(tiff))), (run.Inputs[1].Path, run.Inputs[1].Bytes, run.Inputs[1].Sha256));
        Assert.True(run.Started <= run.Finished);
        Assert.Equal(new RunImageCounts(2, 2, 0, 0, 2L * TestImages.Disks), run.Images);

        // the run's settings are the server's defaults; only the changed image has settings of its own, from the page
        Assert.Equal(0.5f, run.Settings.Threshold);
        Assert.Equal(SettingSource.Default, run.SettingSources["diameter"]);
        var images = run.ImageSettings!;
        Assert.Equal(["changed", "kept"], images.Select(i => i.Image));
        Assert.Equal("changed.png", images[0].Input);
        var threshold = Assert.Single(images[0].Settings);
        Assert.Equal(("threshold", 0.25), (threshold.Key, threshold.Value.GetDouble()));
        Assert.Equal(SettingSource.Page, images[0].SettingSources["threshold"]);
        Assert.Empty(images[1].Settings);
        Assert.Equal((false, true), (images[0].Corrected, images[1].Corrected));
        Assert.Contains("\"threshold\": \"page\"", json);
    }
}
