using System.Collections.Concurrent;
using Microsoft.Playwright;
using Nuclei.Core.Report;

namespace Nuclei.Tests.Report;

/// <summary>
/// report.html opened in a real browser: Debian's headless Chromium driven by Playwright (its own browser download is
/// never used). Every image must load, nothing may be fetched from outside the report's folder, and no console or
/// script error may occur. The screenshot is kept in TestResults/report-browser/ under the test project.
/// Skipped with a message when /usr/bin/chromium is missing (apt-get install chromium).
/// </summary>
public sealed class ReportBrowserTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-report-browser-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Where the screenshot and a copy of the report stay after the run.</summary>
    static string ArtifactDir => Path.Combine(TestData.RepoRoot, "tests", "Nuclei.Tests", "TestResults", "report-browser");

    [SkippableFact]
    public async Task Report_opens_in_headless_chromium_with_every_image_loaded_and_no_error()
    {
        HeadlessChromium.SkipWhenMissing();
        ReportFixture.Write(dir);
        string html = Path.Combine(dir, ReportBuilder.FileName);

        await using var chromium = await HeadlessChromium.LaunchAsync(1280, 900);
        var page = chromium.Page;
        var problems = new ConcurrentQueue<string>();   // filled from Playwright's event threads
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Enqueue($"console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => problems.Enqueue($"script error: {e}");
        page.RequestFailed += (_, r) => problems.Enqueue($"failed request: {r.Url}");
        await page.RouteAsync("**/*", async route =>
        {
            string url = route.Request.Url;
            if (url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal)) await route.ContinueAsync();
            else { problems.Enqueue($"fetched from outside: {url}"); await route.AbortAsync(); }
        });

        await page.GotoAsync(new Uri(html).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        var images = await page.EvaluateAsync<ImageState[]>(
            "() => Array.from(document.images).map(i => ({ alt: i.alt, loaded: i.complete && i.naturalWidth > 0 }))");
        var links = await page.EvaluateAsync<string[]>("() => Array.from(document.links).map(a => a.href)");

        Directory.CreateDirectory(ArtifactDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDir, "report.png"), FullPage = true });
        File.Copy(html, Path.Combine(ArtifactDir, ReportBuilder.FileName), overwrite: true);

        Assert.Empty(problems);
        // 2 score plots, 3 distributions, 4 worst images, 4 overlays
        Assert.Equal(2 + 3 + 4 + 4, images.Length);
        Assert.All(images, i => Assert.True(i.Loaded, $"image '{i.Alt}' did not load"));
        Assert.Equal(8, links.Length);
        Assert.All(links, l => Assert.True(File.Exists(new Uri(l).LocalPath), $"link {l} leads to no file"));
    }

    /// <summary>What the page says of one &lt;img&gt; (Playwright fills it, so it needs setters).</summary>
    public sealed class ImageState
    {
        public string Alt { get; set; } = "";
        public bool Loaded { get; set; }
    }
}
