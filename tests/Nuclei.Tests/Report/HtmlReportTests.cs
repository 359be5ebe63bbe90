using System.Text.RegularExpressions;
using Nuclei.Core.Report;

namespace Nuclei.Tests.Report;

/// <summary>What report.html holds, read as text (the browser test opens it for real).</summary>
public sealed class HtmlReportTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-report-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void The_report_holds_every_section_and_links_only_to_files_beside_it()
    {
        var report = ReportFixture.Write(dir);
        string html = File.ReadAllText(Path.Combine(dir, ReportBuilder.FileName));

        foreach (string heading in new[] { "Summary", "Scores against the truth", "Worst images", "Per image, worst first", "Distributions", "Overlays", "Slowest images", "Failed images" })
            Assert.Contains($">{heading}</h", html);
        Assert.Contains("broken.png: cannot decode image", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotMatch(new Regex(@"(src|href)=""(https?:)?//"), html);

        var links = Regex.Matches(html, @"href=""([^""]+)""").Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).ToList();
        Assert.Equal(8, links.Count); // 4 overlays and the 4 images drawn with their errors (fewer than WorstCount)
        Assert.All(links, l => Assert.True(File.Exists(Path.Combine(dir, l)), $"{l} is not beside the report"));
        Assert.Equal(4, report.Worst.Count);
    }

    [Fact]
    public void The_counts_shown_are_those_of_the_error_analysis()
    {
        var report = ReportFixture.Write(dir);
        string html = File.ReadAllText(Path.Combine(dir, ReportBuilder.FileName));
        var worst = report.Evaluations.OrderBy(e => e.Score.MeanAp).First();
        var c = worst.Errors.Counts;
        Assert.True(c.Merges >= 1 && c.Misses > 0, $"the damaged prediction should merge and miss nuclei: {c}");
        Assert.Contains($"<td>{c.TruePositives}</td><td>{c.FalsePositives}</td><td>{c.Misses}</td><td>{c.Merges}</td><td>{c.Splits}</td></tr>", html);
        // worst first: the first row of the per-image table is the worst image
        int table = html.IndexOf("Per image, worst first", StringComparison.Ordinal);
        Assert.Equal(worst.Id, Regex.Match(html[table..], @"<td class=""id"">([^<]+)</td>").Groups[1].Value);
    }
}
