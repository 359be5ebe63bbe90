using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Nuclei.Server;
using Nuclei.Server.Api;

namespace Nuclei.Tests.Server;

/// <summary>
/// The page's upload controls in a real browser (headless Chromium, as <see cref="ServeBrowserTests"/>) against the real
/// server with the network-free <see cref="FakeEngine"/>, gated halfway so that progress and cancellation are seen
/// without timing: a two-channel OME-TIFF is segmented in the channel picked, with the diameter typed, its progress
/// shown until done; a running job is cancelled with its button, and another by leaving the page.
/// Screenshots stay in TestResults/serve-browser/ (jobs-*.png).
/// </summary>
public sealed class ServeJobBrowserTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-serve-jobs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string ArtifactDir => Path.Combine(TestData.RepoRoot, "tests", "Nuclei.Tests", "TestResults", "serve-browser");

    /// <summary>The page, with every console error, script error and request to anywhere but the server collected in <paramref name="problems"/>.</summary>
    internal static async Task<IPage> Open(HeadlessChromium chromium, string url, ConcurrentQueue<string> problems)
    {
        var page = chromium.Page;
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Enqueue($"console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => problems.Enqueue($"script error: {e}");
        // only requests elsewhere are intercepted: the server's own (and the beacon sent while the page unloads) go through untouched
        await page.RouteAsync(u => !u.StartsWith(url, StringComparison.Ordinal) && u != "about:blank", async route =>
        {
            problems.Enqueue($"fetched from outside: {route.Request.Url}");
            await route.AbortAsync();
        });
        await page.GotoAsync(url);
        await page.Locator("body[data-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    internal static Task Shot(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactDir);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDir, name) });
    }

    string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The list item of the running upload once the page shows it halfway.</summary>
    static async Task<ILocator> Halfway(IPage page)
    {
        var item = page.Locator("#images li[data-state=running]", new PageLocatorOptions { Has = page.Locator(".pct", new PageLocatorOptions { HasTextString = "50 %" }) });
        await item.WaitForAsync();
        Assert.Equal(0.5, await item.Locator("progress").EvaluateAsync<double>("el => el.value"));
        return item;
    }

    [SkippableFact]
    public async Task The_channel_chooser_starts_on_the_channel_named_dapi_even_when_it_comes_second()
    {
        HeadlessChromium.SkipWhenMissing();
        await using var app = NucleiServer.Create(new ServerOptions(Port: 0), new FakeEngine());
        await app.StartAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync(1400, 860);
        var problems = new ConcurrentQueue<string>();
        var page = await Open(chromium, app.Urls.First(), problems);

        await page.SetInputFilesAsync("#file", Write("membrane-dapi.ome.tif", TestImages.TwoChannelTiff(["Membrane", "DAPI"])));
        await page.Locator("#planes").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Equal(["1: Membrane", "2: DAPI"], await page.Locator("#planes-channel option").AllTextContentsAsync());
        Assert.Equal("2", await page.InputValueAsync("#planes-channel"));
        Assert.Empty(problems);
        await app.StopAsync();
    }

    [SkippableFact]
    public async Task A_two_channel_tiff_is_segmented_in_the_channel_picked_with_the_diameter_typed_and_its_progress_shown_to_done()
    {
        HeadlessChromium.SkipWhenMissing();
        var engine = new FakeEngine { Gate = new SemaphoreSlim(0) };
        await using var app = NucleiServer.Create(new ServerOptions(Port: 0), engine);
        await app.StartAsync();
        string url = app.Urls.First();
        await using var chromium = await HeadlessChromium.LaunchAsync(1400, 860);
        var problems = new ConcurrentQueue<string>();
        var page = await Open(chromium, url, problems);

        await page.FillAsync("#diameter", "14");
        await page.SetInputFilesAsync("#file", Write("two-channels.ome.tif", TestImages.TwoChannelTiff()));
        await page.Locator("#planes").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Equal(["1: DAPI", "2: GFP"], await page.Locator("#planes-channel option").AllTextContentsAsync());
        await page.SelectOptionAsync("#planes-channel", "2");
        await Shot(page, "jobs-1-choose-channel.png");
        await page.ClickAsync("#planes-go");
        Assert.True(await page.Locator("#planes").IsHiddenAsync());

        await Halfway(page);
        await Shot(page, "jobs-2-progress.png");
        engine.Gate!.Release();

        var count = page.Locator("#count[data-count]");
        await count.WaitForAsync();
        Assert.Equal(TestImages.SecondChannelDisks, int.Parse((await count.GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture));
        Assert.Equal($"{TestImages.SecondChannelDisks} nuclei", await count.TextContentAsync());
        var item = page.Locator("#images li[data-state=done]");
        Assert.Equal("1", await item.GetAttributeAsync("data-progress"));
        Assert.Equal($"two-channels.ome.tif{TestImages.SecondChannelDisks}×", await item.TextContentAsync());
        Assert.EndsWith("; channel 2, diameter 14 px", await page.Locator("#timing").TextContentAsync());
        Assert.Equal(14, engine.LastDiameter!.Pixels);
        await Shot(page, "jobs-3-done.png");
        await app.StopAsync();
        Assert.Empty(problems);
    }

    [SkippableFact]
    public async Task A_running_job_is_cancelled_by_its_button_and_by_leaving_the_page()
    {
        HeadlessChromium.SkipWhenMissing();
        var engine = new FakeEngine { Gate = new SemaphoreSlim(0) };
        await using var app = NucleiServer.Create(new ServerOptions(Port: 0), engine);
        await app.StartAsync();
        string url = app.Urls.First();
        await using var chromium = await HeadlessChromium.LaunchAsync(1400, 860);
        var problems = new ConcurrentQueue<string>();
        var page = await Open(chromium, url, problems);
        using var http = await SameSession(chromium, url);

        // the cancel button
        await page.SetInputFilesAsync("#file", Write("cells.png", TestImages.Png()));
        var running = await Halfway(page);
        await Shot(page, "jobs-4-running.png");
        await running.Locator("button.cancel").ClickAsync();
        await page.Locator("#images li[data-state=cancelled]").WaitForAsync();
        await page.Locator("#message", new PageLocatorOptions { HasTextString = "cells.png: cancelled" }).WaitForAsync();
        var jobs = await Jobs(http);
        Assert.Equal(["cancelled"], jobs.Select(j => j.State));
        await Shot(page, "jobs-5-cancelled.png");

        // leaving the page: its beacon cancels the job still running
        await page.SetInputFilesAsync("#file", Write("second.png", TestImages.Png()));
        await Halfway(page);
        await page.GotoAsync("about:blank");
        var clock = System.Diagnostics.Stopwatch.StartNew();   // a bounded wait for a state, as Playwright's: not a timing check
        while ((await Jobs(http))[1].State != "cancelled" && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(20);
        Assert.Equal(["cancelled", "cancelled"], (await Jobs(http)).Select(j => j.State));
        Assert.Equal(2, engine.Predictions);
        Assert.Equal("[]", await http.GetStringAsync("/api/images"));
        await app.StopAsync();
        Assert.Empty(problems);
    }

    [SkippableFact]
    public async Task A_file_chosen_while_the_page_still_loads_is_segmented_once_the_server_answers()
    {
        HeadlessChromium.SkipWhenMissing();
        var engine = new FakeEngine();
        await using var app = NucleiServer.Create(new ServerOptions(Port: 0), engine);
        await app.StartAsync();
        string url = app.Urls.First();
        await using var chromium = await HeadlessChromium.LaunchAsync(1400, 860);
        var page = chromium.Page;
        var infoAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var infoReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/info", async route => { infoAsked.TrySetResult(); await infoReleased.Task; await route.ContinueAsync(); });

        // the page's script has run and its info request is held: the file is chosen before the server answers
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await infoAsked.Task;
        await page.SetInputFilesAsync("#file", Write("early.png", TestImages.Png()));
        infoReleased.SetResult();

        await page.Locator("#images li[data-state=done]", new PageLocatorOptions { HasTextString = "early.png" }).WaitForAsync();
        Assert.Equal(1, engine.Predictions);
        await app.StopAsync();
    }

    [SkippableFact]
    public async Task Two_browsers_each_see_only_their_own_images()
    {
        HeadlessChromium.SkipWhenMissing();
        await using var app = NucleiServer.Create(new ServerOptions(Port: 0), new FakeEngine());
        await app.StartAsync();
        string url = app.Urls.First();
        await using var first = await HeadlessChromium.LaunchAsync(1000, 700);
        var problems = new ConcurrentQueue<string>();
        var page = await Open(first, url, problems);
        await page.SetInputFilesAsync("#file", Write("mine.png", TestImages.Png()));
        await page.Locator("#images li[data-state=done]").WaitForAsync();
        using var http = await SameSession(first, url);
        string id = JsonDocument.Parse(await http.GetStringAsync("/api/images")).RootElement[0].GetProperty("id").GetString()!;

        // another browser (profile): its own session, empty, which cannot reach the first one's image
        await using var second = await HeadlessChromium.LaunchAsync(1000, 700);
        var other = await Open(second, url, new ConcurrentQueue<string>()); // its 404 below is logged as a console error
        Assert.Equal(0, await other.Locator("#images li").CountAsync());
        Assert.Equal(404, await other.EvaluateAsync<int>("async id => (await fetch(`/api/images/${id}/picture.png`)).status", id));
        Assert.Equal("", await other.EvaluateAsync<string>("document.cookie")); // HttpOnly: no script reads the token
        var cookie = (await second.Context.CookiesAsync([url])).Single();
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Playwright.SameSiteAttribute.Strict, cookie.SameSite);
        Assert.NotEqual((await first.Context.CookiesAsync([url])).Single().Value, cookie.Value);

        // the first browser, reloaded, still has its image
        await page.ReloadAsync();
        await page.Locator("#images li[data-state=done]", new PageLocatorOptions { HasTextString = "mine" }).WaitForAsync();
        await app.StopAsync();
        Assert.Empty(problems);
    }

    /// <summary>A client in the browser's session (its cookie): another would see a session of its own, empty.</summary>
    internal static async Task<HttpClient> SameSession(HeadlessChromium chromium, string url)
    {
        var http = new HttpClient { BaseAddress = new Uri(url) };
        var cookies = await chromium.Context.CookiesAsync([url]);
        Assert.NotEmpty(cookies);
        http.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        return http;
    }

    static async Task<List<JobSummary>> Jobs(HttpClient http) =>
        (await http.GetFromJsonAsync<List<JobSummary>>("/api/jobs", ServerJson.Options))!;
}
