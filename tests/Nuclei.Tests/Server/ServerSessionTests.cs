using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nuclei.Server;
using Nuclei.Server.Api;
using Nuclei.Server.Sessions;

namespace Nuclei.Tests.Server;

/// <summary>
/// Sessions of <c>nuclei serve</c>: one per browser (cookie), none seeing another's images or jobs, and every one
/// within its memory budget and the server's, however many requests arrive at once.
/// </summary>
public sealed class ServerSessionTests : IDisposable
{
    /// <summary>What a 96² test image reserves in its session before it is decoded.</summary>
    static readonly long Estimate = SegmentationService.EstimatedBytes(96 * 96);

    readonly List<IDisposable> owned = new();

    public void Dispose() { foreach (var d in owned) d.Dispose(); }

    ServerFactory Factory(FakeEngine engine, ServerOptions? options = null)
    {
        var factory = new ServerFactory(engine, options);
        owned.Add(factory);
        return factory;
    }

    /// <summary>A client with a cookie jar of its own: a browser of its own.</summary>
    HttpClient Browser(ServerFactory factory)
    {
        var client = factory.CreateClient();
        owned.Add(client);
        return client;
    }

    static SessionRegistry Registry(ServerFactory factory) => factory.Services.GetRequiredService<SessionRegistry>();

    static Task<HttpResponseMessage> Post(HttpClient c, string route, byte[] bytes, string name = "cells.png")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return c.PostAsync($"{route}?name={Uri.EscapeDataString(name)}", content);
    }

    static async Task<string> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

    static async Task<JobSummary> JobOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JobSummary>(ServerJson.Options))!;
    }

    /// <summary>Polls the job until it is final (the bound only keeps a broken server from hanging the test).</summary>
    static async Task<JobSummary> Final(HttpClient c, string id)
    {
        for (int k = 0; k < 6000; k++)
        {
            var job = (await c.GetFromJsonAsync<JobSummary>($"/api/jobs/{id}", ServerJson.Options))!;
            if (job.State is "done" or "cancelled" or "failed") return job;
            await Task.Delay(10);
        }
        throw new TimeoutException($"job {id} never ended");
    }

    [Fact]
    public async Task Two_browsers_cannot_see_each_others_images_or_jobs()
    {
        var engine = new FakeEngine();
        var factory = Factory(engine);
        HttpClient a = Browser(factory), b = Browser(factory);
        var response = await Post(a, "/api/images", TestImages.Png(), "mine.png");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        string image = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var job = await Final(a, (await JobOf(await Post(a, "/api/jobs", TestImages.Png(), "second.png"))).Id);

        Assert.Equal("[]", await b.GetStringAsync("/api/images"));
        Assert.Equal("[]", await b.GetStringAsync("/api/jobs"));
        foreach (string path in new[] { "", "/picture.png", "/labels.bin", "/files/labels.png", "/files/all.zip" })
        {
            var theirs = await b.GetAsync($"/api/images/{image}{path}");
            Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"{path}: {theirs.StatusCode}");
            Assert.Contains($"no image '{image}' in this session", await ErrorOf(theirs));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/api/images/{image}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsJsonAsync($"/api/images/{image}/thresholds", engine.Defaults, ServerJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/jobs/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/api/jobs/{job.Id}/cancel", null)).StatusCode);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await b.GetByteArrayAsync("/api/session.zip"))))
            Assert.DoesNotContain(zip.Entries, e => e.FullName.StartsWith("mine", StringComparison.Ordinal));

        // the owner still has both
        Assert.Equal(2, JsonDocument.Parse(await a.GetStringAsync("/api/images")).RootElement.GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/api/images/{image}/picture.png")).StatusCode);
        Assert.Equal(2, Registry(factory).All.Count);
    }

    [Fact]
    public async Task The_session_cookie_is_random_http_only_strict_and_set_by_api_requests_only()
    {
        var factory = Factory(new FakeEngine());
        var raw = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        owned.Add(raw);
        Assert.False((await raw.GetAsync("/")).Headers.Contains("Set-Cookie")); // a link from elsewhere must not replace the browser's session
        var tokens = new List<string>();
        for (int k = 0; k < 2; k++)
        {
            string cookie = (await raw.GetAsync("/api/info")).Headers.GetValues("Set-Cookie").Single();
            var parts = cookie.Split(';', StringSplitOptions.TrimEntries);
            var (name, value) = (parts[0][..parts[0].IndexOf('=')], parts[0][(parts[0].IndexOf('=') + 1)..]);
            Assert.StartsWith("nuclei-session", name);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", value); // 32 random bytes, base64url
            Assert.Contains("httponly", parts, StringComparer.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", parts, StringComparer.OrdinalIgnoreCase);
            Assert.Contains("path=/", parts, StringComparer.OrdinalIgnoreCase);
            tokens.Add(value);
        }
        Assert.NotEqual(tokens[0], tokens[1]);

        // an unknown or forged token gets a new session, never someone's
        var forged = new HttpRequestMessage(HttpMethod.Get, "/api/images");
        forged.Headers.Add("Cookie", "nuclei-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var answer = await raw.SendAsync(forged);
        Assert.Equal("[]", await answer.Content.ReadAsStringAsync());
        Assert.DoesNotContain("AAAAAAAA", answer.Headers.GetValues("Set-Cookie").Single());
    }

    [Fact]
    public async Task With_an_access_token_each_browser_still_has_its_own_session()
    {
        var factory = Factory(new FakeEngine(), new ServerOptions(AccessToken: "s3cret-token"));
        HttpClient a = Browser(factory), b = Browser(factory);
        foreach (var c in new[] { a, b }) c.DefaultRequestHeaders.Add(RequestGuard.Header, "s3cret-token");
        Assert.Equal(HttpStatusCode.Created, (await Post(a, "/api/images", TestImages.Png())).StatusCode);
        Assert.Equal("[]", await b.GetStringAsync("/api/images"));
        var stranger = Browser(factory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/images")).StatusCode);
        Assert.Equal(2, Registry(factory).All.Count); // the refused request opened none
    }

    [Fact]
    public async Task Concurrent_jobs_never_reserve_past_the_session_budget_and_cancelled_ones_give_it_all_back()
    {
        var engine = new FakeEngine { Gate = new SemaphoreSlim(0) };
        var factory = Factory(engine, new ServerOptions(MaxSessionBytes: 3 * Estimate + Estimate / 2)); // room for 3 uploads, not 4
        var c = Browser(factory);
        await c.GetAsync("/api/info");
        var store = Registry(factory).All.Single().Store;

        long most = 0;
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) { most = Math.Max(most, store.UsedBytes); await Task.Yield(); }
        });
        byte[] png = TestImages.Png();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(k => Post(c, "/api/jobs", png, $"cell{k}.png")));
        stop.Cancel();
        await watch;

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.Equal(3, accepted.Count);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode));
        Assert.All(await Task.WhenAll(refused.Select(ErrorOf)), e => Assert.Contains(": the session is full: this image needs", e));
        Assert.Equal(3 * Estimate, store.ReservedBytes);
        Assert.True(Math.Max(most, store.UsedBytes) <= store.MaxBytes, $"{most} bytes used, over the budget of {store.MaxBytes}");

        var jobs = await Task.WhenAll(accepted.Select(JobOf));
        foreach (var job in jobs)
            Assert.Equal(HttpStatusCode.Accepted, (await c.PostAsync($"/api/jobs/{job.Id}/cancel", null)).StatusCode);
        foreach (var job in jobs)
            Assert.Equal("cancelled", (await Final(c, job.Id)).State);
        Assert.Equal((0L, 0L), (store.ReservedBytes, store.Bytes));
        Assert.Equal(0, Registry(factory).Memory.Used);
    }

    [Fact]
    public async Task An_upload_that_fails_to_decode_gives_its_reservation_back()
    {
        var factory = Factory(new FakeEngine());
        var c = Browser(factory);
        var response = await Post(c, "/api/jobs", TestImages.Png()[..60]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var store = Registry(factory).All.Single().Store;
        Assert.Equal(0, store.UsedBytes);
        Assert.Equal(0, Registry(factory).Memory.Used);
    }

    [Fact]
    public async Task When_all_sessions_together_are_full_another_sessions_upload_is_a_503_until_memory_is_given_back()
    {
        var engine = new FakeEngine { Gate = new SemaphoreSlim(0) };
        var factory = Factory(engine, new ServerOptions(MaxServerBytes: Estimate + Estimate / 2));
        HttpClient a = Browser(factory), b = Browser(factory);
        var job = await JobOf(await Post(a, "/api/jobs", TestImages.Png(), "first.png"));
        await engine.Halfway.WaitAsync();

        var busy = await Post(b, "/api/jobs", TestImages.Png(), "second.png");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.StartsWith("second.png: the server is busy: all sessions together hold", await ErrorOf(busy));
        Assert.NotNull(busy.Headers.RetryAfter);

        await a.PostAsync($"/api/jobs/{job.Id}/cancel", null);
        Assert.Equal("cancelled", (await Final(a, job.Id)).State);
        engine.Gate!.Release();
        Assert.Equal("done", (await Final(b, (await JobOf(await Post(b, "/api/jobs", TestImages.Png(), "second.png"))).Id)).State);
    }

    [Fact]
    public async Task At_the_session_cap_an_empty_session_makes_room_and_one_holding_images_does_not()
    {
        var factory = Factory(new FakeEngine(), new ServerOptions(MaxSessions: 1));
        HttpClient a = Browser(factory), b = Browser(factory);
        var upload = await Post(a, "/api/images", TestImages.Png());
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        var refused = await b.GetAsync("/api/info");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("sessions open, as many as it allows", await ErrorOf(refused));
        Assert.Equal(1, JsonDocument.Parse(await a.GetStringAsync("/api/images")).RootElement.GetArrayLength());

        string id = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/api/images/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/info")).StatusCode); // a's session, empty now, made room
        Assert.Single(Registry(factory).All);
    }

    [Fact]
    public void A_session_idle_too_long_is_dropped_with_its_memory()
    {
        var clock = new ManualClock();
        var registry = new SessionRegistry(new ServerOptions(SessionIdleMinutes: 120), clock);
        var session = registry.Open();
        var reservation = session.Store.Reserve(1000, "cells.png");
        Assert.Equal(1000, registry.Memory.Used);

        clock.Now += TimeSpan.FromMinutes(119);
        Assert.Same(session, registry.Find(session.Token)); // used: its idle time starts again
        clock.Now += TimeSpan.FromMinutes(121);
        Assert.Null(registry.Find(session.Token));
        Assert.Empty(registry.All);
        Assert.Throws<ServerBusyException>(() => session.Store.Reserve(1, "late.png"));
        reservation.Dispose(); // the upload that held it ends
        Assert.Equal(0, registry.Memory.Used);
    }

    sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
