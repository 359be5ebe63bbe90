using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Playwright;
using Nuclei.Core.Imaging;
using Nuclei.Server;

namespace Nuclei.Tests.Server;

/// <summary>
/// Correcting labels on the page in a real browser (headless Chromium, as <see cref="ServeJobBrowserTests"/>) against
/// the real server with the network-free <see cref="FakeEngine"/> on <see cref="TestImages.Png"/> (disks at (20, 20) r 4,
/// (60, 24) r 8, (40, 66) r 12): a nucleus deleted and one drawn, saved, and the training-set zip downloaded; merge,
/// split, undo and redo; the display controls, which change the pixels shown and never the labels; the page before
/// any image. Screenshots stay in TestResults/serve-browser/ (correct-*.png).
/// </summary>
public sealed class ServeCorrectionBrowserTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-serve-correct-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A pentagon in the image's free lower right (image pixels), away from every disk.</summary>
    static readonly (double X, double Y)[] Pentagon = [(62, 50), (88, 48), (92, 70), (80, 88), (64, 80)];

    static double ShoelaceArea((double X, double Y)[] p) =>
        Math.Abs(Enumerable.Range(0, p.Length).Sum(k => p[k].X * p[(k + 1) % p.Length].Y - p[(k + 1) % p.Length].X * p[k].Y)) / 2;

    sealed record Session(IAsyncDisposable App, HeadlessChromium Chromium, IPage Page, string Url, ConcurrentQueue<string> Problems) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Chromium.DisposeAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>The server and the page, with <see cref="TestImages.Png"/> uploaded and shown.</summary>
    async Task<Session> OpenWithImage(bool upload = true)
    {
        var app = NucleiServer.Create(new ServerOptions(Port: 0), new FakeEngine());
        await app.StartAsync();
        string url = app.Urls.First();
        var chromium = await HeadlessChromium.LaunchAsync(1400, 860);
        var problems = new ConcurrentQueue<string>();
        var page = await ServeJobBrowserTests.Open(chromium, url, problems);
        if (upload)
        {
            string path = Path.Combine(dir, "cells.png");
            File.WriteAllBytes(path, TestImages.Png());
            await page.SetInputFilesAsync("#file", path);
            await Count(page, TestImages.Disks);
        }
        return new Session(app, chromium, page, url, problems);
    }

    static async Task Count(IPage page, int count) =>
        await page.Locator($"#count[data-count='{count}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>Where image point (x, y) is on the page.</summary>
    static async Task<(float X, float Y)> OnScreen(IPage page, double x, double y)
    {
        var p = await page.EvaluateAsync<double[]>(@"([x, y]) => {
            const r = document.querySelector('#canvas').getBoundingClientRect(), v = state.view;
            return [r.left + v.x + x * v.scale, r.top + v.y + y * v.scale];
        }", new[] { x, y });
        return ((float)p[0], (float)p[1]);
    }

    static async Task Click(IPage page, double x, double y, KeyboardModifier[]? modifiers = null)
    {
        var (sx, sy) = await OnScreen(page, x, y);
        if (modifiers is null) await page.Mouse.ClickAsync(sx, sy);
        else
        {
            foreach (var m in modifiers) await page.Keyboard.DownAsync(m.ToString());
            await page.Mouse.ClickAsync(sx, sy);
            foreach (var m in modifiers) await page.Keyboard.UpAsync(m.ToString());
        }
    }

    /// <summary>A fingerprint of the label map the page holds.</summary>
    static Task<int> LabelsHash(IPage page) =>
        page.EvaluateAsync<int>("() => state.current.labels.reduce((h, l, i) => (Math.imul(h, 31) + l * (i + 1)) | 0, 7)");

    [SkippableFact]
    public async Task A_nucleus_deleted_and_one_drawn_are_saved_and_downloaded_as_a_training_set_the_trainer_reads()
    {
        HeadlessChromium.SkipWhenMissing();
        await using var s = await OpenWithImage();
        var page = s.Page;

        // click the disk at (60, 24), delete it
        await Click(page, 60.5, 24.5);
        await page.WaitForFunctionAsync("() => state.selection.size === 1");
        await page.Keyboard.PressAsync("Delete");
        await Count(page, TestImages.Disks - 1);
        Assert.Equal($"{TestImages.Disks - 1} nuclei (edited, not saved)", await page.Locator("#count").TextContentAsync());
        Assert.True(await page.EvalOnSelectorAsync<bool>("#thresholds", "el => el.disabled")); // a threshold change would drop the edit

        // D, five corners clicked, Enter: a new nucleus
        await page.Keyboard.PressAsync("d");
        foreach (var (x, y) in Pentagon) await Click(page, x, y);
        await ServeJobBrowserTests.Shot(page, "correct-1-drawing.png");
        await page.Keyboard.PressAsync("Enter");
        await Count(page, TestImages.Disks);
        await ServeJobBrowserTests.Shot(page, "correct-2-drawn.png");

        await page.ClickAsync("#edit-save");
        await page.Locator("#edit-save[data-saved]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        Assert.Equal($"{TestImages.Disks} nuclei (your corrections)", await page.Locator("#count").TextContentAsync());
        await page.Locator("#training-zip[data-images='1']").WaitForAsync();
        Assert.Contains("train.init_from=MODEL.nck train.time_budget_minutes=5", await page.Locator("#retrain-command").TextContentAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#training-zip"));
        string zip = Path.Combine(dir, "set.zip"), root = Path.Combine(dir, "set");
        await download.SaveAsAsync(zip);
        ZipFile.ExtractToDirectory(zip, root);
        await ServeJobBrowserTests.Shot(page, "correct-3-saved.png");

        // the masks: one fewer, one more; none where the deleted disk was; the drawn one the pentagon's area
        var masks = Directory.GetFiles(Path.Combine(root, "cells", "masks")).Order(StringComparer.Ordinal).Select(ImageIO.ReadLabels).ToList();
        Assert.Equal(TestImages.Disks - 1 + 1, masks.Count);
        Assert.All(masks, m => Assert.Equal(0, m[24, 60]));
        Assert.All(masks, m => Assert.Equal(new[] { 0, 255 }, m.Data.Distinct().Order()));
        var drawn = Assert.Single(masks, m => m[68, 77] != 0);
        double area = ShoelaceArea(Pentagon);
        Assert.InRange(drawn.Data.Count(v => v != 0), area * 0.97, area * 1.03);
        var provenance = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "provenance.json"))).RootElement.GetProperty("images")[0];
        Assert.Equal(TestImages.Disks, provenance.GetProperty("count_before").GetInt32());
        Assert.Equal(TestImages.Disks, provenance.GetProperty("count_after").GetInt32());
        var warnings = new List<string>();
        var loaded = Nuclei.Torch.Training.TrainingData.Load(Nuclei.Core.Data.DsbDataset.Scan(root).Samples, null, "kind", 0, warnings.Add);
        Assert.Empty(warnings);
        Assert.Equal(TestImages.Disks, Assert.Single(loaded).Labels.MaxLabel());
        Assert.Empty(s.Problems);
    }

    [SkippableFact]
    public async Task Merge_split_undo_and_redo_change_the_labels_and_undo_restores_them()
    {
        HeadlessChromium.SkipWhenMissing();
        await using var s = await OpenWithImage();
        var page = s.Page;
        int original = await LabelsHash(page);
        string help = (await page.Locator("#edit-help").GetAttributeAsync("title"))!;
        foreach (string shortcut in new[] { "Delete", "D:", "S:", "M:", "Ctrl+Z", "Ctrl+Shift+Z", "Enter" }) Assert.Contains(shortcut, help);

        // two disks selected (click, Shift+click), merged, undone, redone, undone
        await Click(page, 20.5, 20.5);
        await Click(page, 60.5, 24.5, [KeyboardModifier.Shift]);
        await page.WaitForFunctionAsync("() => state.selection.size === 2");
        await page.Keyboard.PressAsync("m");
        await Count(page, TestImages.Disks - 1);
        await page.Keyboard.PressAsync("Control+z");
        await Count(page, TestImages.Disks);
        Assert.Equal(original, await LabelsHash(page));
        await page.Keyboard.PressAsync("Control+Shift+z");
        await Count(page, TestImages.Disks - 1);
        await page.Keyboard.PressAsync("Control+z");
        await Count(page, TestImages.Disks);

        // S, a line dragged down through the disk at (40, 66), Enter: two halves
        await page.Keyboard.PressAsync("s");
        var (x0, y0) = await OnScreen(page, 40.5, 50);
        var (x1, y1) = await OnScreen(page, 40.5, 82);
        await page.Mouse.MoveAsync(x0, y0);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x1, y1, new MouseMoveOptions { Steps = 20 });
        await page.Mouse.UpAsync();
        await page.Keyboard.PressAsync("Enter");
        await Count(page, TestImages.Disks + 1);
        await ServeJobBrowserTests.Shot(page, "correct-4-split.png");
        var halves = await page.EvaluateAsync<int[]>(@"() => {
            const l = state.current.labels, w = state.current.summary.width, left = l[66 * w + 34], right = l[66 * w + 46];
            return [left, right, l.filter(v => v === left).length, l.filter(v => v === right).length];
        }");
        Assert.NotEqual(halves[0], halves[1]);
        Assert.InRange(halves[2], halves[3] * 0.8, halves[3] * 1.25); // cut down the middle: halves alike
        await page.Keyboard.PressAsync("Control+z");
        await Count(page, TestImages.Disks);
        Assert.Equal(original, await LabelsHash(page));
        Assert.Empty(s.Problems);
    }

    /// <summary>The level <c>display.js</c> shows for <paramref name="v"/> (0..255) with these settings.</summary>
    static double Shown(double v, double brightness, double contrast, double gamma) =>
        Math.Round(Math.Pow(Math.Clamp((v / 255 - 0.5) * contrast + 0.5 + brightness, 0, 1), gamma) * 255);

    [SkippableFact]
    public async Task Brightness_contrast_and_gamma_change_the_pixels_shown_but_not_the_labels_and_the_empty_page_says_what_to_do()
    {
        HeadlessChromium.SkipWhenMissing();
        await using var s = await OpenWithImage(upload: false);
        var page = s.Page;

        // before any image: a message, no black canvas, no blank sliders
        Assert.True(await page.Locator("#empty").IsVisibleAsync());
        Assert.Contains("No image yet", await page.Locator("#empty").TextContentAsync());
        foreach (string hidden in new[] { "#canvas", "#thresholds", "#toolbar", "#edit-bar" })
            Assert.False(await page.Locator(hidden).IsVisibleAsync(), hidden);
        await ServeJobBrowserTests.Shot(page, "correct-5-empty.png");

        string path = Path.Combine(dir, "cells.png");
        File.WriteAllBytes(path, TestImages.Png());
        await page.SetInputFilesAsync("#file", path);
        await Count(page, TestImages.Disks);
        Assert.False(await page.Locator("#empty").IsVisibleAsync());
        Assert.True(await page.Locator("#thresholds").IsVisibleAsync());
        int labels = await LabelsHash(page);
        using var http = await ServeJobBrowserTests.SameSession(s.Chromium, s.Url);
        string id = JsonDocument.Parse(await http.GetStringAsync("/api/images")).RootElement[0].GetProperty("id").GetString()!;
        byte[] serverLabels = await http.GetByteArrayAsync($"/api/images/{id}/labels.bin");

        // a background pixel (label 0 at image pixel 2, 2: no overlay over it) before and after each change, copied
        // out to a canvas of its own (reading the page's canvas again and again makes Chromium warn)
        async Task<int> Pixel() => await page.EvaluateAsync<int>(@"() => {
            const v = state.view, copy = document.createElement('canvas');
            copy.width = 1; copy.height = 1;
            const ctx = copy.getContext('2d');
            ctx.drawImage(document.querySelector('#canvas'), -Math.floor(v.x + 2.5 * v.scale), -Math.floor(v.y + 2.5 * v.scale));
            return ctx.getImageData(0, 0, 1, 1).data[0];
        }");
        async Task Set(string slider, double value, string shown)
        {
            await page.EvalOnSelectorAsync($"#{slider}", "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", value);
            await page.Locator($"#canvas[data-display='{shown}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        }
        Assert.Equal("0,1,1", await page.Locator("#canvas").GetAttributeAsync("data-display"));
        int before = await Pixel();

        await Set("brightness", 0.3, "0.3,1,1");
        Assert.Equal(Shown(before, 0.3, 1, 1), await Pixel(), 1.0);
        await Set("gamma", 0.5, "0.3,1,0.5");
        Assert.Equal(Shown(before, 0.3, 1, 0.5), await Pixel(), 1.0);
        int gammaOnly = await Pixel();
        await Set("contrast", 1.5, "0.3,1.5,0.5");
        Assert.Equal(Shown(before, 0.3, 1.5, 0.5), await Pixel(), 1.0);
        Assert.NotEqual(before, gammaOnly);
        Assert.NotEqual(gammaOnly, await Pixel());
        Assert.Equal(new[] { "0.3", "1.5", "0.5" }, new[] { await page.TextContentAsync("#o-brightness"), await page.TextContentAsync("#o-contrast"), await page.TextContentAsync("#o-gamma") });
        await ServeJobBrowserTests.Shot(page, "correct-6-display.png");

        // the labels: the page's, the count and the server's, unchanged
        Assert.Equal(labels, await LabelsHash(page));
        Assert.Equal(TestImages.Disks.ToString(CultureInfo.InvariantCulture), await page.Locator("#count").GetAttributeAsync("data-count"));
        Assert.Equal(serverLabels, await http.GetByteArrayAsync($"/api/images/{id}/labels.bin"));

        await page.ClickAsync("#display-reset");
        await page.Locator("#canvas[data-display='0,1,1']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        Assert.Equal(before, await Pixel());
        Assert.Empty(s.Problems);
    }
}
