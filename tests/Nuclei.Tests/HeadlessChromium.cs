using Microsoft.Playwright;

namespace Nuclei.Tests;

/// <summary>
/// Debian's headless Chromium driven by Playwright, as the browser tests use it (Playwright's own browser download is
/// never used), with a throw-away profile and one page.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Skips the calling [SkippableFact] with a clear message when Chromium is not installed.</summary>
    public static void SkipWhenMissing() =>
        Skip.IfNot(File.Exists(Executable), $"{Executable} not found (apt-get install chromium); skipped");

    readonly IPlaywright playwright;
    readonly string profile;
    public IBrowserContext Context { get; }
    public IPage Page { get; }

    HeadlessChromium(IPlaywright playwright, string profile, IBrowserContext context, IPage page)
    {
        this.playwright = playwright; this.profile = profile; Context = context; Page = page;
    }

    public static async Task<HeadlessChromium> LaunchAsync(int width, int height)
    {
        string profile = Directory.CreateTempSubdirectory("nuclei-chromium-profile-").FullName;
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run" },
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        // The waits are for states, not timings: on a loaded 2-core machine (the suite trains networks beside the
        // browser) a state can take longer than Playwright's 30 s default to show.
        context.SetDefaultTimeout(120_000);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new HeadlessChromium(playwright, profile, context, page);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        playwright.Dispose();
        // a Chromium helper (crash reporter) may still be writing there for a moment; a leftover temp folder is no failure
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
    }
}
