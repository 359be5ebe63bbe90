using System.Globalization;
using System.Net;
using System.Text;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Core.Report;

/// <summary>
/// Renders a <see cref="RunReport"/> as one HTML page that opens from its folder with no server and fetches nothing:
/// styles inline, no script, plots and thumbnails as data URIs, links to the full-size overlays and error pictures
/// relative to the page. Sections: summary; the run's settings and models (from its run record); with a truth, the
/// scores (precision/recall per IoU threshold, errors, per-image table, worst images drawn); per image (nuclei, median
/// area, scale); distributions; overlay grid; slowest images; failures; definitions.
/// </summary>
internal static class HtmlReport
{
    const int SlowestCount = 10;

    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append($"<title>{E(report.Title)}</title><style>{Style}</style></head><body>\n")
            .Append($"<h1>{E(report.Title)}</h1><p class=\"muted\">{E(report.Description)}</p>\n");
        Summary(html, report);
        Settings(html, report);
        var evaluations = report.Evaluations.ToList();
        if (evaluations.Count > 0) Scores(html, report, evaluations);
        PerImage(html, report);
        Distributions(html, report);
        OverlayGrid(html, report);
        Slowest(html, report);
        Failures(html, report);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    static void Summary(StringBuilder html, RunReport r)
    {
        var rows = new List<(string, string)>
        {
            ("images done", N(r.Images.Count)),
            ("images failed", N(r.Failures.Count)),
            ("nuclei", N(r.Images.Sum(i => i.Nuclei.Count))),
            ("nuclei per image (mean)", F(r.Images.Count == 0 ? 0 : r.Images.Average(i => i.Nuclei.Count), 1)),
            ("median nucleus area (px)", F(Median(r.Images.SelectMany(i => i.Nuclei.Areas)), 1)),
        };
        var timed = r.Images.Where(i => i.Seconds is not null).ToList();
        if (timed.Count > 0)
            rows.Add(("time per image (mean, s)", F(timed.Average(i => i.Seconds!.Value), 2)));
        var evaluations = r.Evaluations.ToList();
        if (evaluations.Count > 0)
        {
            var dataset = DatasetScore.Aggregate(evaluations.Select(e => e.Score));
            var errors = ObjectErrors.Total(evaluations.Select(e => e.Errors));
            rows.Add(("mean AP (DSB2018, mean over images)", F(dataset.MeanAp, 4)));
            rows.Add(("F1 at IoU 0.5 (all objects)", F(dataset.F1At50, 4)));
            rows.Add(("true positives / false positives / misses at IoU 0.5", $"{N(errors.TruePositives)} / {N(errors.FalsePositives)} / {N(errors.Misses)}"));
            rows.Add(("merges / splits", $"{N(errors.Merges)} / {N(errors.Splits)}"));
        }
        html.Append("<h2>Summary</h2><table class=\"summary\">");
        foreach (var (name, value) in rows) html.Append($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>");
        html.Append("</table>\n");
    }

    /// <summary>The settings in effect and the model files, as the output folder's run record gives them (the latest run's).</summary>
    static void Settings(StringBuilder html, RunReport r)
    {
        if (r.Run is not { } run) return;
        html.Append("<h2>Settings</h2><table class=\"summary\">")
            .Append($"<tr><th>command</th><td class=\"id\">{E(string.Join(' ', run.CommandLine))}</td></tr>")
            .Append($"<tr><th>version</th><td class=\"id\">{E(run.ToolVersion)}</td></tr>");   // a long hash: it may break
        foreach (var m in run.Models)
            html.Append($"<tr><th>model</th><td class=\"id\">{E(m.Path)}<br>sha256 {E(m.Sha256)}, epoch {N(m.Epoch)}")
                .Append(m.Evaluation is { } e ? $", mean AP {F(e.MeanAp, 4)} on {N(e.Images)} images" : "").Append("</td></tr>");
        bool sourced = run.SettingSources.Count > 0;   // a record written before run.json named sources has none to show
        foreach (var (name, value) in Output.RunRecordFile.Rows(run.Settings))
            html.Append($"<tr><th>{E(name.Replace('_', ' '))}</th><td>{E(value)}</td>")
                .Append(sourced ? $"<td class=\"muted\">{E(SourceOf(run, name))}</td>" : "").Append("</tr>");
        html.Append("</table>");
        if (run.EarlierRuns.Count > 0)
            html.Append($"<p class=\"muted\">{N(run.EarlierRuns.Count)} earlier run(s) into this folder, which may have written some of its images with other settings: see run.json.</p>");
        html.Append('\n');
    }

    /// <summary>Which layer gave a setting its value, as run.json words it (default, checkpoint, config, command line).</summary>
    static string SourceOf(Output.RunRecord run, string setting) =>
        run.SettingSources.TryGetValue(setting, out var source) ? Output.RunRecordFile.SourceName(source) : "";

    /// <summary>Every image: its nuclei, their median area, the scale it was segmented at and, when asked for, the nuclei removed on its border.</summary>
    static void PerImage(StringBuilder html, RunReport r)
    {
        if (r.Images.Count == 0) return;
        bool edges = r.Images.Any(i => i.Segmentation?.RemovedOnEdges is not null);
        html.Append("<h2>Per image</h2><table><tr><th>image</th><th>nuclei</th><th>median area (px)</th><th>diameter (px)</th><th>scale</th>")
            .Append(edges ? "<th>removed on the border</th>" : "").Append("</tr>");
        foreach (var i in r.Images.OrderBy(i => i.Id, StringComparer.Ordinal))
        {
            var s = i.Segmentation;
            html.Append($"<tr><td class=\"id\">{E(i.Id)}</td><td>{N(i.Nuclei.Count)}</td><td>{(i.Nuclei.Count == 0 ? "" : F(Median(i.Nuclei.Areas), 1))}</td>")
                .Append($"<td>{(s?.DiameterPx is double d ? F(d, 1) : "")}</td><td>{(s?.ScaleFactor is double f ? F(f, 3) : "")}</td>")
                .Append(edges ? $"<td>{(s?.RemovedOnEdges is int n ? N(n) : "")}</td>" : "").Append("</tr>");
        }
        html.Append("</table><p class=\"muted\">Diameter: the nucleus diameter the image was scaled by (--diameter), empty when none; scale: the factor it was resized by before the network saw it.</p>\n");
    }

    static void Scores(StringBuilder html, RunReport r, List<ImageEvaluation> evaluations)
    {
        var totals = DatasetScore.Aggregate(evaluations.Select(e => e.Score)).Totals;
        html.Append("<h2>Scores against the truth</h2>")
            .Append($"<div class=\"plots\"><img alt=\"precision and recall per IoU threshold\" src=\"{ReportPlots.PrecisionRecall(totals)}\">")
            .Append($"<img alt=\"mean AP per image\" src=\"{ReportPlots.Histogram("Mean AP per image", "mean AP", evaluations.Select(e => e.Score.MeanAp).ToList())}\"></div>\n");
        html.Append("<table><tr><th>IoU &gt;</th><th>TP</th><th>FP</th><th>FN</th><th>precision</th><th>recall</th><th>TP/(TP+FP+FN)</th></tr>");
        foreach (var t in totals)
            html.Append($"<tr><td>{F(t.Threshold, 2)}</td><td>{N(t.TruePositives)}</td><td>{N(t.FalsePositives)}</td><td>{N(t.FalseNegatives)}</td>")
                .Append($"<td>{F(ReportPlots.PrecisionOf(t), 4)}</td><td>{F(ReportPlots.RecallOf(t), 4)}</td><td>{F(t.Precision, 4)}</td></tr>");
        html.Append("</table>\n");
        WorstImages(html, r);
        PerImageScores(html, evaluations);
        html.Append("<p class=\"muted\">").Append(E(Definitions)).Append("</p>\n");
    }

    static void WorstImages(StringBuilder html, RunReport r)
    {
        if (r.Worst.Count == 0) return;
        html.Append("<h3>Worst images</h3><p class=\"legend\">")
            .Append(Swatch(ErrorPicture.TruePositive, "true positive (predicted, matched)"))
            .Append(Swatch(ErrorPicture.FalsePositive, "false positive (predicted, unmatched)"))
            .Append(Swatch(ErrorPicture.Miss, "miss (true, unmatched)"))
            .Append("</p><div class=\"grid\">");
        foreach (var w in r.Worst)
            Figure(html, w.Link, w.Thumbnail, w.Id, $"mean AP {F(w.MeanAp, 3)}");
        html.Append("</div>\n");
    }

    static void PerImageScores(StringBuilder html, List<ImageEvaluation> evaluations)
    {
        html.Append("<h3>Per image, worst first</h3><table><tr><th>image</th><th>mean AP</th><th>F1@0.5</th><th>true</th><th>predicted</th>")
            .Append("<th>TP</th><th>FP</th><th>misses</th><th>merges</th><th>splits</th></tr>");
        foreach (var e in evaluations.OrderBy(e => e.Score.MeanAp).ThenBy(e => e.Id, StringComparer.Ordinal))
        {
            var c = e.Errors.Counts;
            html.Append($"<tr><td class=\"id\">{E(e.Id)}</td><td>{F(e.Score.MeanAp, 4)}</td><td>{F(e.Score.F1At50, 4)}</td>")
                .Append($"<td>{N(e.Score.TrueObjects)}</td><td>{N(e.Score.PredictedObjects)}</td><td>{N(c.TruePositives)}</td>")
                .Append($"<td>{N(c.FalsePositives)}</td><td>{N(c.Misses)}</td><td>{N(c.Merges)}</td><td>{N(c.Splits)}</td></tr>");
        }
        html.Append("</table>\n");
    }

    static void Distributions(StringBuilder html, RunReport r)
    {
        if (r.Images.Count == 0) return;
        html.Append("<h2>Distributions</h2><div class=\"plots\">")
            .Append($"<img alt=\"nuclei per image\" src=\"{ReportPlots.Histogram("Nuclei per image", "nuclei", r.Images.Select(i => (double)i.Nuclei.Count).ToList())}\">")
            .Append($"<img alt=\"nucleus area per image\" src=\"{ReportPlots.PerImageBoxes("Nucleus area per image", "area (px)", r.Images.Select(i => (i.Id, i.Nuclei.Areas)).ToList())}\">");
        if (r.Images.Any(i => i.Nuclei.MeanIntensities.Count > 0))
            html.Append($"<img alt=\"nucleus intensity per image\" src=\"{ReportPlots.PerImageBoxes("Nucleus mean intensity per image", "mean intensity (0..1)", r.Images.Select(i => (i.Id, i.Nuclei.MeanIntensities)).ToList())}\">");
        html.Append("</div><p class=\"muted\">Boxes: quartiles; whiskers: 5th and 95th percentiles of the image's nuclei.</p>\n");
    }

    static void OverlayGrid(StringBuilder html, RunReport r)
    {
        var shown = r.Images.Where(i => i.Thumbnail is not null).ToList();
        if (shown.Count == 0) return;
        html.Append("<h2>Overlays</h2><p class=\"muted\">Click a picture for the full-size overlay.</p><div class=\"grid\">");
        foreach (var i in shown)
            Figure(html, i.OverlayLink, i.Thumbnail!, i.Id, $"{N(i.Nuclei.Count)} nuclei" +
                (i.Evaluation is { } e ? $", mean AP {F(e.Score.MeanAp, 3)}" : ""));
        html.Append("</div>\n");
    }

    static void Slowest(StringBuilder html, RunReport r)
    {
        var slowest = r.Images.Where(i => i.Seconds is not null).OrderByDescending(i => i.Seconds).ThenBy(i => i.Id, StringComparer.Ordinal)
            .Take(SlowestCount).ToList();
        if (slowest.Count == 0) return;
        html.Append("<h2>Slowest images</h2><table><tr><th>image</th><th>seconds</th><th>nuclei</th></tr>");
        foreach (var i in slowest)
            html.Append($"<tr><td class=\"id\">{E(i.Id)}</td><td>{F(i.Seconds!.Value, 2)}</td><td>{N(i.Nuclei.Count)}</td></tr>");
        html.Append("</table>\n");
    }

    static void Failures(StringBuilder html, RunReport r)
    {
        html.Append("<h2>Failed images</h2>");
        if (r.Failures.Count == 0) { html.Append("<p>None.</p>\n"); return; }
        html.Append("<table><tr><th>item</th><th>problem</th></tr>");
        foreach (var f in r.Failures) html.Append($"<tr><td class=\"id\">{E(f.Item)}</td><td>{E(f.Message)}</td></tr>");
        html.Append("</table>\n");
    }

    static void Figure(StringBuilder html, string? link, string thumbnail, string id, string caption)
    {
        string img = $"<img alt=\"{E(id)}\" src=\"{thumbnail}\">";
        html.Append("<figure>").Append(link is null ? img : $"<a href=\"{E(link)}\">{img}</a>")
            .Append($"<figcaption><span class=\"id\">{E(id)}</span><br>{E(caption)}</figcaption></figure>");
    }

    static string Swatch((byte R, byte G, byte B) c, string text) =>
        $"<span class=\"swatch\" style=\"background:rgb({c.R},{c.G},{c.B})\"></span>{E(text)} ";

    const string Definitions =
        "A predicted and a true nucleus match when their IoU exceeds the threshold; at IoU 0.5, a predicted nucleus that matches none is a false positive " +
        "and a true nucleus that nothing matches is a miss. A merge is a predicted nucleus covering more than half of each of two or more true nuclei; " +
        "a split is a true nucleus holding more than half of each of two or more predicted nuclei (merges and splits also count as misses and false positives). " +
        "Mean AP is the DSB2018 score: the mean over IoU thresholds 0.50..0.95 of TP/(TP+FP+FN).";

    const string Style =
        "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}h1{margin-bottom:.2em}.muted{color:#666;font-size:.9em}" +
        "table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.2em .6em;text-align:right}" +
        "th{background:#f3f3f3}table.summary th{text-align:left}td.id,span.id{font-family:monospace;font-size:.85em;text-align:left;word-break:break-all}" +
        // plots and tables shrink to a narrow window (a phone, a side panel) instead of being cut off
        "img{max-width:100%;height:auto}table{display:block;max-width:100%;overflow-x:auto}" +
        ".plots img{margin:.3em;border:1px solid #ddd;box-sizing:border-box}.grid{display:flex;flex-wrap:wrap;gap:.6em}" +
        "figure{margin:0;width:196px}figure img{max-width:192px;max-height:192px;border:2px solid #ccc}figcaption{font-size:.8em}" +
        ".swatch{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle;border:1px solid #555}" +
        // on a phone-sized window the margins and cell padding give their room to the columns, so wide tables scroll less
        "@media (max-width:600px){body{margin:.6em}th,td{padding:.15em .3em;font-size:.85em}figure{width:calc(50% - .3em)}figure img{max-width:100%}}";

    static string E(string s) => WebUtility.HtmlEncode(s);
    static string N(int v) => v.ToString(CultureInfo.InvariantCulture);
    static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
