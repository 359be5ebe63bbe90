using Microsoft.Playwright;
using Nuclei.Cli.Commands;
using Nuclei.Core.Output;
using Nuclei.Core.Report;
using Nuclei.Server;
using Nuclei.Server.Engine;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Docs;

/// <summary>
/// Writes the screenshots of docs/ from the bundled samples and model, in headless Chromium as the browser tests use it:
/// the report of `segment --truth --report` at 1400 and 400 px wide (docs/report-1400.png, docs/report-400.png) and
/// the page of `nuclei serve` with a sample segmented and brightness/contrast raised (docs/page-brightness-contrast.png).
/// The report's pictures show the top of the page (under 400 KB each); the whole page and pieces of it go to
/// TestResults/docs-screenshots/. At each width the report must fit the window (no sideways scrolling of the page).
/// Opt-in, as it replaces committed files: <c>NUCLEI_SCREENSHOTS=docs dotnet test tests/Nuclei.Tests --filter
/// FullyQualifiedName~DocsScreenshots</c> (bench/docs-screenshots.sh). Skipped otherwise, or without Chromium or the model.
/// </summary>
public sealed class DocsScreenshots : IDisposable
{
    const string SampleId = "4217e25defac-crop-64-512";
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-docs-shots-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string DocsDir => Path.Combine(TestData.RepoRoot, "docs");
    static string ArtifactDir => Path.Combine(TestData.RepoRoot, "tests", "Nuclei.Tests", "TestResults", "docs-screenshots");

    /// <summary>A committed picture stays small enough for the repository.</summary>
    const long MaxBytes = 400_000;

    static void SkipUnlessAsked()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("NUCLEI_SCREENSHOTS") == "docs", "writes docs/*.png only with NUCLEI_SCREENSHOTS=docs; skipped");
        HeadlessChromium.SkipWhenMissing();
        Skip.If(DefaultModel.Locate() is null, "the bundled model models/default.nck is missing; skipped");
    }

    /// <summary>
    /// `nuclei segment samples --out out --truth samples --report` run as its own process from a folder holding the samples,
    /// so that the report's header shows the command a user types (relative paths), not the test host's.
    /// </summary>
    void SegmentAsAUserWould()
    {
        Directory.CreateSymbolicLink(Path.Combine(dir, "samples"), TestData.SamplesDir);
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "nuclei.dll"), "segment", "samples", "--out", "out", "--truth", "samples", "--report" })
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
    }

    [SkippableFact]
    public async Task Report_at_1400_and_400_px()
    {
        SkipUnlessAsked();
        string outDir = Path.Combine(dir, "out");
        SegmentAsAUserWould();
        string url = new Uri(Path.Combine(outDir, ReportBuilder.FileName)).AbsoluteUri;
        // the top of the page (summary, settings, score plots and table) keeps each file small; the whole page goes to TestResults/
        foreach (var (width, height) in new[] { (1400, 2000), (400, 2700) })
        {
            await using var chromium = await HeadlessChromium.LaunchAsync(width, 900);
            var page = chromium.Page;
            await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"at {width} px the report is {overflow} px wider than the window");
            int pageHeight = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
            string shot = Path.Combine(DocsDir, $"report-{width}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = shot, FullPage = true, Clip = new Clip { X = 0, Y = 0, Width = width, Height = Math.Min(height, pageHeight) },
            });
            Assert.InRange(new FileInfo(shot).Length, 1, MaxBytes);
            Directory.CreateDirectory(ArtifactDir);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDir, $"report-{width}-whole.png"), FullPage = true });
            for (int top = 0, part = 1; top < pageHeight; top += 1000, part++)   // pieces to read the narrow page at full size
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = Path.Combine(ArtifactDir, $"report-{width}-part{part}.png"), FullPage = true,
                    Clip = new Clip { X = 0, Y = top, Width = width, Height = Math.Min(1000, pageHeight - top) },
                });
        }
    }

    [SkippableFact]
    public async Task Page_with_brightness_and_contrast()
    {
        SkipUnlessAsked();
        string sample = Path.Combine(TestData.SamplesDir, SampleId, "images", SampleId + ".png");
        using var engine = new ModelEngine(NucleiSegmenter.Load(new SegmenterOptions()));
        await using var app = NucleiServer.Create(new ServerOptions(Port: 0), engine);
        await app.StartAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync(1400, 860);
        var page = chromium.Page;
        await page.GotoAsync(app.Urls.First());
        await page.Locator("body[data-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SetInputFilesAsync("#file", sample);
        await page.Locator("#count[data-count]").WaitForAsync(new LocatorWaitForOptions { Timeout = 600_000 });
        foreach (var (id, value) in new[] { ("brightness", "0.2"), ("contrast", "1.8") })
            await page.EvalOnSelectorAsync($"#{id}", $"el => {{ el.value = {value}; el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change')); }}");
        await page.Locator("#o-contrast", new PageLocatorOptions { HasTextString = "1.8" }).WaitForAsync();
        string shot = Path.Combine(DocsDir, "page-brightness-contrast.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        Assert.InRange(new FileInfo(shot).Length, 1, MaxBytes);
        await app.StopAsync();
    }
}
