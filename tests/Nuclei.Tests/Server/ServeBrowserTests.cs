using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;
using Nuclei.Cli.Commands;
using Nuclei.Server;
using Nuclei.Server.Engine;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Server;

/// <summary>
/// The page of <c>nuclei serve</c> in a real browser (Debian's headless Chromium driven by Playwright; its own browser
/// download is never used) against the real server with the bundled model, built as the command builds it: a sample
/// is uploaded, the count shown must equal <c>nuclei segment</c>'s, hovering shows a nucleus, a threshold change
/// changes the count, the CSV download has one row per nucleus shown, and a bad file gets its message on the page.
/// Nothing may be fetched from anywhere but the server. Screenshots stay in TestResults/serve-browser/.
/// Skipped with a message without /usr/bin/chromium (apt-get install chromium) or the bundled model.
/// </summary>
public sealed class ServeBrowserTests : IDisposable
{
    const string SampleId = "4217e25defac-crop-64-512";
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-serve-browser-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string ArtifactDir => Path.Combine(TestData.RepoRoot, "tests", "Nuclei.Tests", "TestResults", "serve-browser");

    static SegmentCommand.SegmentSettings Settings(string[] inputs, string outDir) => new(Inputs: inputs, OutDir: outDir);

    /// <summary>The count <c>nuclei segment</c> writes in summary.csv for the sample.</summary>
    int SegmentCount(string sample)
    {
        string outDir = Path.Combine(dir, "segment");
        Assert.Equal(0, SegmentCommand.Run(Settings([sample], outDir)));
        var row = File.ReadAllLines(Path.Combine(outDir, "summary.csv"))[1].Split(',');
        Assert.Equal(SampleId, row[0]);
        return int.Parse(row[1], CultureInfo.InvariantCulture);
    }

    [SkippableFact]
    public async Task A_sample_is_segmented_inspected_rethresholded_and_downloaded_in_headless_chromium()
    {
        HeadlessChromium.SkipWhenMissing();
        Skip.If(DefaultModel.Locate() is null, "the bundled model models/default.nck is missing; skipped");
        string sample = Path.Combine(TestData.SamplesDir, SampleId, "images", SampleId + ".png");
        int expected = SegmentCount(sample);

        using var engine = new ModelEngine(NucleiSegmenter.Load(new SegmenterOptions()));
        await using var app = NucleiServer.Create(new ServerOptions(Port: 0), engine);
        await app.StartAsync();
        string url = app.Urls.First();

        await using var chromium = await HeadlessChromium.LaunchAsync(1400, 860);
        var page = chromium.Page;
        var problems = new ConcurrentQueue<string>();   // filled from Playwright's event threads
        page.Console += (_, m) =>
        {
            // the bad upload's 400 is logged by Chromium itself; the page shows its message (checked below)
            if (m.Type is "error" or "warning" && !m.Text.Contains("status of 400")) problems.Enqueue($"console {m.Type}: {m.Text}");
        };
        page.PageError += (_, e) => problems.Enqueue($"script error: {e}");
        // only requests elsewhere are intercepted: the server's own go through untouched
        await page.RouteAsync(u => !u.StartsWith(url, StringComparison.Ordinal), async route =>
        {
            problems.Enqueue($"fetched from outside: {route.Request.Url}");
            await route.AbortAsync();
        });
        Directory.CreateDirectory(ArtifactDir);
        Task Shot(string name) => page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDir, name) });

        // upload, wait for the overlay
        await page.GotoAsync(url);
        await page.Locator("body[data-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SetInputFilesAsync("#file", sample);
        var count = page.Locator("#count[data-count]");
        await count.WaitForAsync(new LocatorWaitForOptions { Timeout = 600_000 });
        Assert.Equal(expected, int.Parse((await count.GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture));
        Assert.Equal($"{expected} nuclei", await count.TextContentAsync());
        Assert.Equal(expected, await page.Locator("#nuclei tbody tr").CountAsync());
        // the retrain note fine-tunes the model the server loaded
        string retrain = (await page.Locator("#retrain-command").TextContentAsync())!;
        Assert.Contains("train.init_from=", retrain);
        Assert.Contains(Path.GetFullPath(DefaultModel.Locate()!), retrain);
        string firstOverlayMs = (await page.Locator("#canvas").GetAttributeAsync("data-first-overlay-ms"))!;
        await Shot("1-segmented.png");

        // hover the largest nucleus: its number and measurements
        var (x, y, label) = await LargestNucleusOnScreen(page);
        await page.Mouse.MoveAsync(x, y);
        var tooltip = page.Locator("#tooltip");
        await tooltip.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.StartsWith($"nucleus {label}\narea_px: ", await tooltip.TextContentAsync());
        await Shot("2-hover.png");

        // a click in the table highlights that nucleus' row
        await page.Locator("#nuclei tbody tr").Nth(2).ClickAsync();
        Assert.Contains("selected", await page.Locator("#nuclei tbody tr").Nth(2).GetAttributeAsync("class") ?? "");

        // a larger minimum size: post-processing again, fewer nuclei
        await page.EvalOnSelectorAsync("#t-minsize", "el => { el.value = 200; el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change')); }");
        await page.WaitForFunctionAsync($"() => document.querySelector('#count').dataset.count !== '{expected}'");
        int changed = int.Parse((await count.GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture);
        Assert.InRange(changed, 0, expected - 1);
        string roundTripMs = (await page.Locator("#canvas").GetAttributeAsync("data-round-trip-ms"))!;
        await Shot("3-thresholds.png");

        // the links are named by the server's labels (ImageFiles, ExportFormats)
        Assert.Equal("GeoJSON", await page.TextContentAsync("a[data-kind='geojson']"));
        Assert.Equal("all (zip)", await page.TextContentAsync("a[data-kind='all.zip']"));

        // the measurements CSV has one row per nucleus shown
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a[data-kind='measurements.csv']"));
        string csvPath = Path.Combine(dir, "measurements.csv");
        await download.SaveAsAsync(csvPath);
        var lines = File.ReadAllLines(csvPath).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("image,label,area_px", lines[0]);
        Assert.Equal(changed, lines.Count - 1);
        Assert.All(lines.Skip(1), l => Assert.StartsWith(SampleId + ",", l));

        // a file that is no image: its message on the page
        string bad = Path.Combine(dir, "notes.png");
        File.WriteAllText(bad, "these are my notes, not an image");
        await page.SetInputFilesAsync("#file", bad);
        await page.Locator("#message", new PageLocatorOptions { HasTextString = "not a PNG, TIFF or JPEG" }).WaitForAsync();
        await Shot("4-bad-upload.png");

        File.WriteAllText(Path.Combine(ArtifactDir, "timings.txt"),
            $"segment count {expected}; first overlay {firstOverlayMs} ms; min size 200: {changed} nuclei, round trip {roundTripMs} ms\n");
        await app.StopAsync();
        Assert.Empty(problems);
    }

    /// <summary>Where on the page the centroid of the largest nucleus is drawn, and its label.</summary>
    static async Task<(float X, float Y, int Label)> LargestNucleusOnScreen(IPage page)
    {
        var p = await page.EvaluateAsync<double[]>(@"() => {
            const s = state.current.summary, area = s.columns.indexOf('area_px');
            const cx = s.columns.indexOf('centroid_x_px'), cy = s.columns.indexOf('centroid_y_px');
            const row = s.nuclei.reduce((a, b) => b[area] > a[area] ? b : a);
            const r = document.querySelector('#canvas').getBoundingClientRect(), v = state.view;
            const x = Math.floor(row[cx]), y = Math.floor(row[cy]);
            const label = state.current.labels[y * s.width + x];
            return [r.left + v.x + (x + 0.5) * v.scale, r.top + v.y + (y + 0.5) * v.scale, label];
        }");
        return ((float)p[0], (float)p[1], (int)p[2]);
    }
}
