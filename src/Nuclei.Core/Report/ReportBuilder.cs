using System.Diagnostics;
using Nuclei.Core.IO;
using Nuclei.Core.Output;
using OpenCvSharp;

namespace Nuclei.Core.Report;

/// <summary>
/// The report's paths, title and timing, and (for <c>nuclei evaluate --report</c>, which has no output folder of
/// records; <c>segment</c> rebuilds its report from records, see <c>FolderReport</c>) a report gathered while a batch
/// runs (thread-safe) and written at the end: <c>report.html</c> and, beside it,
/// <c>report_files/&lt;id&gt;.errors.png</c> for the <see cref="WorstCount"/> worst-scored images. Only those pictures
/// are kept in memory (PNG-encoded), so a run of any length costs a bounded amount. Keeps the time spent on the report
/// (<see cref="Elapsed"/>) so a run can say what the report cost.
/// </summary>
internal sealed class ReportBuilder
{
    public const string FileName = "report.html";
    public const int WorstCount = 6;
    public const string ErrorPictureSuffix = ".errors.png";

    readonly object gate = new();
    readonly List<ReportImage> images = new();
    readonly List<(string Id, double MeanAp, byte[] Png, string Thumbnail)> worst = new();
    long elapsedTicks;

    public string HtmlPath { get; }
    public string Title { get; }
    public string Description { get; }

    public ReportBuilder(string htmlPath, string title, string description)
    {
        HtmlPath = Path.GetFullPath(htmlPath);
        Title = title;
        Description = description;
    }

    /// <summary>Folder for the report's pictures: <c>report.html</c> → <c>report_files</c> beside it.</summary>
    public string AssetsFolderName => Path.GetFileNameWithoutExtension(HtmlPath) + "_files";

    public string AssetsDir => Path.Combine(Path.GetDirectoryName(HtmlPath)!, AssetsFolderName);

    /// <summary>Time spent in the report's own work so far (statistics, thumbnails, error pictures, writing).</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref elapsedTicks));

    /// <summary>Runs <paramref name="work"/> and counts its time as the report's.</summary>
    public T Timed<T>(Func<T> work)
    {
        long start = Stopwatch.GetTimestamp();
        try { return work(); }
        finally { Interlocked.Add(ref elapsedTicks, Stopwatch.GetElapsedTime(start).Ticks); }
    }

    public void Add(ReportImage image)
    {
        lock (gate) images.Add(image);
    }

    /// <summary>
    /// Keeps the image's error picture if it is among the <see cref="WorstCount"/> lowest mean APs so far (ties: by id);
    /// <paramref name="render"/> is only called then.
    /// </summary>
    public void OfferWorst(string id, double meanAp, Func<Mat> render) => Timed(() =>
    {
        lock (gate)
            if (worst.Count >= WorstCount && !Before((id, meanAp), worst[^1])) return 0;
        using var picture = render();
        Cv2.ImEncode(".png", picture, out byte[] png);
        string thumbnail = Thumbnail.DataUri(picture);
        lock (gate)
        {
            worst.Add((id, meanAp, png, thumbnail));
            worst.Sort((a, b) => Before((a.Id, a.MeanAp), b) ? -1 : Before((b.Id, b.MeanAp), a) ? 1 : 0);
            if (worst.Count > WorstCount) worst.RemoveAt(worst.Count - 1);
        }
        return 0;
    });

    static bool Before((string Id, double MeanAp) a, (string Id, double MeanAp, byte[], string) b) =>
        a.MeanAp < b.MeanAp || (a.MeanAp == b.MeanAp && string.CompareOrdinal(a.Id, b.Id) < 0);

    /// <summary>Writes the worst images' pictures and then report.html (each file atomically); returns the report.</summary>
    public RunReport Write(IReadOnlyList<ReportFailure> failures) => Timed(() =>
    {
        RunReport report;
        List<(string Id, double MeanAp, byte[] Png, string Thumbnail)> kept;
        lock (gate)
        {
            kept = worst.ToList();
            var worstLinks = kept.Select(w => new WorstImage(w.Id, w.MeanAp,
                FolderReport.Link(AssetsFolderName + "/" + w.Id + ErrorPictureSuffix), w.Thumbnail)).ToList();
            report = new RunReport(Title, Description, images.OrderBy(i => i.Id, StringComparer.Ordinal).ToList(), failures, worstLinks);
        }
        foreach (var w in kept)
            AtomicFile.WriteAllBytes(Path.Combine(AssetsDir, w.Id + ErrorPictureSuffix), w.Png);
        AtomicFile.WriteAllText(HtmlPath, HtmlReport.Render(report));
        return report;
    });
}
