using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nuclei.Server;
using Nuclei.Server.Api;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Server;

/// <summary>
/// Multi-plane uploads (inspect, channel and z), the diameter, and jobs (progress, cancellation) of <c>nuclei serve</c>,
/// through the real pipeline with a network-free engine.
/// </summary>
public sealed class ServerJobTests : IDisposable
{
    readonly List<IDisposable> owned = new();

    public void Dispose() { foreach (var d in owned) d.Dispose(); }

    HttpClient Client(FakeEngine engine, ServerOptions? options = null)
    {
        var factory = new ServerFactory(engine, options);
        owned.Add(factory);
        var client = factory.CreateClient();
        owned.Add(client);
        return client;
    }

    static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    static Task<HttpResponseMessage> Post(HttpClient c, string route, byte[] bytes, string name, string query = "") =>
        c.PostAsync($"{route}?name={Uri.EscapeDataString(name)}{(query.Length > 0 ? "&" + query : "")}", Octets(bytes));

    static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static async Task<string> ErrorOf(HttpResponseMessage response) => (await Json(response)).GetProperty("error").GetString()!;

    static async Task<ImageSummary> Summary(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImageSummary>(ServerJson.Options))!;
    }

    static async Task<JobSummary> Job(HttpClient c, string id) =>
        (await c.GetFromJsonAsync<JobSummary>($"/api/jobs/{id}", ServerJson.Options))!;

    /// <summary>Polls the job until it is in a final state (no timing is asserted: the bound only keeps a broken server from hanging the test).</summary>
    static async Task<JobSummary> Final(HttpClient c, string id)
    {
        for (int k = 0; k < 6000; k++)
        {
            var job = await Job(c, id);
            if (job.State is "done" or "cancelled" or "failed") return job;
            await Task.Delay(10);
        }
        throw new TimeoutException($"job {id} never ended");
    }

    static async Task<JobSummary> Started(HttpClient c, byte[] bytes, string name = "cells.png", string query = "")
    {
        var response = await Post(c, "/api/jobs", bytes, name, query);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JobSummary>(ServerJson.Options))!;
    }

    // ---- inspect ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Inspect_lists_the_channels_of_a_two_channel_ome_tiff_without_segmenting_it()
    {
        var engine = new FakeEngine();
        var c = Client(engine);
        var planes = await Json(await Post(c, "/api/inspect", TestImages.TwoChannelTiff(), "cells.ome.tif"));
        Assert.Equal("ome", planes.GetProperty("layout").GetString());
        Assert.Equal(["DAPI", "GFP"], planes.GetProperty("channels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, planes.GetProperty("z_planes").GetInt32());
        Assert.True(planes.GetProperty("needs_channel").GetBoolean());
        Assert.False(planes.GetProperty("needs_z").GetBoolean());
        Assert.Equal((96, 96), (planes.GetProperty("width").GetInt32(), planes.GetProperty("height").GetInt32()));
        Assert.Equal(1, planes.GetProperty("suggested").GetInt32());
        Assert.Equal(0, engine.Predictions);
    }

    [Theory]
    [InlineData("Membrane", "DAPI", 2)]
    [InlineData("hoechst 33342", "GFP", 1)]
    [InlineData("Actin", "H2B-mCherry", 2)]
    [InlineData("Actin", "Tubulin", null)]
    public async Task Inspect_suggests_the_channel_whose_name_looks_nuclear(string first, string second, int? suggested)
    {
        var planes = await Json(await Post(Client(new FakeEngine()), "/api/inspect", TestImages.TwoChannelTiff([first, second]), "cells.ome.tif"));
        var value = planes.GetProperty("suggested");
        Assert.Equal(suggested, value.ValueKind == System.Text.Json.JsonValueKind.Null ? null : value.GetInt32());
    }

    [Theory]
    [InlineData("png", "single", "gray", 1, false, false)]
    [InlineData("jpeg", "single", "red,green,blue", 1, false, false)]
    [InlineData("pages", "pages", "page 1,page 2", 2, true, false)]
    public async Task Inspect_tells_pictures_and_pages_apart(string kind, string layout, string channels, int zPlanes, bool needsChannel, bool needsZ)
    {
        byte[] bytes = kind switch { "png" => TestImages.Png(), "jpeg" => TestImages.Jpeg(), _ => TestImages.TwoPageTiff() };
        var planes = await Json(await Post(Client(new FakeEngine()), "/api/inspect", bytes, "x"));
        Assert.Equal(layout, planes.GetProperty("layout").GetString());
        Assert.Equal(channels, string.Join(",", planes.GetProperty("channels").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal(zPlanes, planes.GetProperty("z_planes").GetInt32());
        Assert.Equal((needsChannel, needsZ), (planes.GetProperty("needs_channel").GetBoolean(), planes.GetProperty("needs_z").GetBoolean()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, planes.GetProperty("suggested").ValueKind);   // no names to go by
    }

    [Fact]
    public async Task Inspect_refuses_what_an_upload_refuses()
    {
        var c = Client(new FakeEngine());
        var garbage = await Post(c, "/api/inspect", Encoding.ASCII.GetBytes("not an image at all"), "notes.tif");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal("notes.tif: not a PNG, TIFF or JPEG image (its first bytes match none of them)", await ErrorOf(garbage));
        var form = await c.PostAsync("/api/inspect?name=a.tif", new StringContent("x", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal("a.tif: send the image as the request body with Content-Type application/octet-stream", await ErrorOf(form));
    }

    // ---- channel and z ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("channel=1", TestImages.Disks, "1")]
    [InlineData("channel=DAPI", TestImages.Disks, "DAPI")]
    [InlineData("channel=2", TestImages.SecondChannelDisks, "2")]
    [InlineData("channel=gfp&z=max", TestImages.SecondChannelDisks, "gfp")]
    public async Task The_channel_chosen_is_the_one_segmented(string query, int count, string channel)
    {
        var summary = await Summary(await Post(Client(new FakeEngine()), "/api/images", TestImages.TwoChannelTiff(), "cells.ome.tif", query));
        Assert.Equal(count, summary.Count);
        Assert.Equal(1, summary.Channels);
        Assert.Equal(channel, summary.Channel);
    }

    [Fact]
    public async Task Two_pages_without_metadata_are_combined_as_z_planes()
    {
        var summary = await Summary(await Post(Client(new FakeEngine()), "/api/images", TestImages.TwoPageTiff(), "stack.tif", "z=mean"));
        Assert.Equal(TestImages.Disks, summary.Count);
        Assert.Equal("mean", summary.Z);
    }

    [Fact]
    public async Task A_bad_channel_is_a_400_naming_the_upload_field()
    {
        var response = await Post(Client(new FakeEngine()), "/api/images", TestImages.TwoPageTiff(), "stack.tif", "channel=0");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("stack.tif: channel numbers start at 1, got 0", await ErrorOf(response));
    }

    [Fact]
    public async Task A_z_projection_over_more_pixels_than_the_limit_is_a_413_before_it_is_read()
    {
        var engine = new FakeEngine();
        var c = Client(engine, new ServerOptions(MaxPixels: 96 * 96 * 3 / 2)); // one plane fits, two do not
        var response = await Post(c, "/api/images", TestImages.TwoPageTiff(), "stack.tif", "z=max");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("stack.tif: z max reads 2 planes of 96x96 = 18432 pixels, over the limit of 13824", await ErrorOf(response));
        Assert.Equal(TestImages.Disks, (await Summary(await Post(c, "/api/images", TestImages.TwoPageTiff(), "stack.tif", "channel=2"))).Count);
        Assert.Equal(1, engine.Predictions);
    }

    public static TheoryData<string, string, string, int, string> BadFields => new()
    {
        { "two channels, none chosen", "two", "", 400, "cells.tif: 2 channels (DAPI, GFP); choose one with channel" },
        { "channel 0", "two", "channel=0", 400, "cells.tif: channel numbers start at 1, got 0" },
        { "channel past the last", "two", "channel=3", 400, "cells.tif: channel 3, but the image has 2 channel(s) (DAPI, GFP)" },
        { "unknown channel name", "two", "channel=Cy5", 400, "cells.tif: no channel named 'Cy5'; its 2 channel(s): DAPI, GFP" },
        { "blank channel", "two", "channel=%20", 400, "cells.tif: channel needs a channel number (1-based) or name" },
        { "channel 2 of a gray picture", "png", "channel=2", 400, "cells.tif: channel 2, but the image is gray, 1 channel" },
        { "z each (one upload is one image)", "two", "channel=1&z=each", 400, "cells.tif: z must be max or mean, got 'each'" },
        { "unknown z", "two", "channel=1&z=median", 400, "cells.tif: z must be max or mean, got 'median'" },
        { "pages as channels and z at once", "pages", "channel=1&z=max", 400, "cells.tif: 2 pages without OME or ImageJ metadata: they are either channels (channel) or z planes (z), not both" },
        { "negative diameter", "png", "diameter=-3", 400, "cells.tif: diameter must be 'auto' or a positive number of pixels, got '-3'" },
        { "zero diameter", "png", "diameter=0", 400, "cells.tif: diameter must be 'auto' or a positive number of pixels, got '0'" },
        { "diameter not a number", "png", "diameter=big", 400, "cells.tif: diameter must be 'auto' or a positive number of pixels, got 'big'" },
        { "diameter NaN", "png", "diameter=NaN", 400, "cells.tif: diameter must be 'auto' or a positive number of pixels, got 'NaN'" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_bad_channel_z_or_diameter_is_a_400_naming_the_field_on_both_upload_routes(string what, string image, string query, int status, string message)
    {
        byte[] bytes = image switch { "two" => TestImages.TwoChannelTiff(), "pages" => TestImages.TwoPageTiff(), _ => TestImages.Png() };
        var engine = new FakeEngine();
        var c = Client(engine);
        foreach (string route in new[] { "/api/images", "/api/jobs" })
        {
            var response = await Post(c, route, bytes, "cells.tif", query);
            Assert.True((int)response.StatusCode == status, $"{what} on {route}: {response.StatusCode}");
            string error = await ErrorOf(response);
            Assert.Equal(message, error);
            Assert.DoesNotContain('\n', error);
        }
        Assert.Equal(0, engine.Predictions);
        Assert.Equal("[]", await c.GetStringAsync("/api/jobs"));
    }

    // ---- diameter -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("diameter=12", 12.0, "12 px")]
    [InlineData("diameter=17.5", 17.5, "17.5 px")]
    [InlineData("diameter=AUTO", null, "auto")]
    public async Task The_diameter_of_an_upload_reaches_the_engine(string query, double? pixels, string shown)
    {
        var engine = new FakeEngine();
        var summary = await Summary(await Post(Client(engine), "/api/images", TestImages.Png(), "cells.png", query));
        Assert.Equal(shown, summary.Diameter);
        Assert.NotNull(engine.LastDiameter);
        Assert.Equal(pixels, engine.LastDiameter!.Pixels);
        Assert.Equal(TestImages.Disks, summary.Count);
    }

    [Fact]
    public async Task The_servers_diameter_is_the_default_and_none_overrides_it()
    {
        var engine = new FakeEngine();
        var c = Client(engine, new ServerOptions(DefaultDiameter: new Diameter(20)));
        Assert.Equal("20 px", (await Json(await c.GetAsync("/api/info"))).GetProperty("diameter").GetString());
        Assert.Equal("20 px", (await Summary(await Post(c, "/api/images", TestImages.Png(), "a.png"))).Diameter);
        Assert.Equal(20, engine.LastDiameter!.Pixels);
        Assert.Null((await Summary(await Post(c, "/api/images", TestImages.Png(), "b.png", "diameter=none"))).Diameter);
        Assert.Null(engine.LastDiameter);
    }

    [Fact]
    public async Task A_diameter_for_a_model_without_a_training_diameter_is_a_400()
    {
        var engine = new FakeEngine { AcceptsDiameter = false };
        var response = await Post(Client(engine), "/api/jobs", TestImages.Png(), "cells.png", "diameter=auto");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("cells.png: diameter: this model does not record its training diameter, so images cannot be rescaled to it; leave diameter out", await ErrorOf(response));
        Assert.Equal(0, engine.Predictions);
    }

    // ---- jobs ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_job_runs_to_done_and_names_its_image()
    {
        var c = Client(new FakeEngine { Steps = 4 });
        var job = await Started(c, TestImages.TwoChannelTiff(), "cells.ome.tif", "channel=2");
        Assert.Contains(job.State, new[] { "queued", "running", "done" });
        var done = await Final(c, job.Id);
        Assert.Equal("done", done.State);
        Assert.Equal(1.0, done.Progress);
        Assert.Null(done.Error);
        var summary = (await c.GetFromJsonAsync<ImageSummary>($"/api/images/{done.ImageId}", ServerJson.Options))!;
        Assert.Equal(TestImages.SecondChannelDisks, summary.Count);
        Assert.Equal("cells.ome", summary.Name);
        var list = await Json(await c.GetAsync("/api/jobs"));
        Assert.Equal(job.Id, list[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_running_job_shows_its_progress_and_stops_when_cancelled()
    {
        var engine = new FakeEngine { Gate = new SemaphoreSlim(0) };
        var c = Client(engine);
        var job = await Started(c, TestImages.Png());
        await engine.Halfway.WaitAsync();
        var running = await Job(c, job.Id);
        Assert.Equal(("running", 0.5), (running.State, running.Progress));

        var cancel = await c.PostAsync($"/api/jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var stopped = await Final(c, job.Id);
        Assert.Equal("cancelled", stopped.State);
        Assert.Equal("cells.png: cancelled", stopped.Error);
        Assert.Null(stopped.ImageId);
        Assert.Equal("[]", await c.GetStringAsync("/api/images"));
        Assert.Equal(HttpStatusCode.Accepted, (await c.PostAsync($"/api/jobs/{job.Id}/cancel", null)).StatusCode); // again: no harm
    }

    [Fact]
    public async Task A_queued_job_cancelled_never_runs_and_the_next_one_does()
    {
        var gate = new SemaphoreSlim(0);
        var engine = new FakeEngine { Gate = gate };
        var c = Client(engine);
        var first = await Started(c, TestImages.Png(), "first.png");
        await engine.Halfway.WaitAsync();
        var second = await Started(c, TestImages.Png(), "second.png");
        var third = await Started(c, TestImages.Png(), "third.png");
        Assert.Equal("queued", (await Job(c, second.Id)).State);
        Assert.Equal(0.0, (await Job(c, second.Id)).Progress);

        Assert.Equal(HttpStatusCode.Accepted, (await c.PostAsync($"/api/jobs/{second.Id}/cancel", null)).StatusCode);
        Assert.Equal("cancelled", (await Final(c, second.Id)).State);
        gate.Release(2);
        Assert.Equal("done", (await Final(c, first.Id)).State);
        Assert.Equal("done", (await Final(c, third.Id)).State);
        Assert.Equal(2, engine.Predictions);
        Assert.Equal(2, (await Json(await c.GetAsync("/api/images"))).GetArrayLength());
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_a_409_and_an_unknown_job_a_404()
    {
        var c = Client(new FakeEngine());
        var job = await Started(c, TestImages.Png());
        Assert.Equal("done", (await Final(c, job.Id)).State);
        var late = await c.PostAsync($"/api/jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal($"job '{job.Id}' (cells.png) is already done; nothing to cancel", await ErrorOf(late));
        foreach (var response in new[] { await c.GetAsync("/api/jobs/0123456789abcdef"), await c.PostAsync("/api/jobs/0123456789abcdef/cancel", null) })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("no job '0123456789abcdef' in this session (the server restarted, or it finished long ago)", await ErrorOf(response));
        }
    }

    [Fact]
    public async Task A_waiting_upload_whose_job_is_cancelled_gets_a_409()
    {
        var engine = new FakeEngine { Gate = new SemaphoreSlim(0) };
        var c = Client(engine);
        await c.GetAsync("/api/info"); // the session's cookie comes first, as the page asks: the upload answers only once done
        var upload = Post(c, "/api/images", TestImages.Png(), "cells.png");
        await engine.Halfway.WaitAsync();
        string id = (await Json(await c.GetAsync("/api/jobs")))[0].GetProperty("id").GetString()!;
        await c.PostAsync($"/api/jobs/{id}/cancel", null);
        var response = await upload;
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("cells.png: cancelled", await ErrorOf(response));
    }

    [Fact]
    public async Task Images_waiting_for_their_prediction_count_against_the_session_memory()
    {
        var engine = new FakeEngine { Gate = new SemaphoreSlim(0) };
        var c = Client(engine, new ServerOptions(MaxSessionBytes: 96 * 96 * (Nuclei.Server.Sessions.JobMemory.BytesPerPixel + 6))); // room for one job and its upload, not two
        var first = await Started(c, TestImages.Png(), "first.png");
        await engine.Halfway.WaitAsync();
        var second = await Post(c, "/api/jobs", TestImages.Png(), "second.png");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, second.StatusCode);
        Assert.StartsWith("second.png: the session is full", await ErrorOf(second));
        engine.Gate!.Release();
        Assert.Equal("done", (await Final(c, first.Id)).State);
        Assert.Equal(1, engine.Predictions);
    }

    [Fact]
    public async Task A_job_that_fails_inside_says_so_without_details()
    {
        var c = Client(new FakeEngine { Failure = new InvalidOperationException("secret internal state") });
        var failed = await Final(c, (await Started(c, TestImages.Png())).Id);
        Assert.Equal("failed", failed.State);
        Assert.Equal("cells.png: internal error while segmenting (details in the server's console)", failed.Error);
    }
}
