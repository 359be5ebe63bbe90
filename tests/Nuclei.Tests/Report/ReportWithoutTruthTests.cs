using System.Text.RegularExpressions;
using Nuclei.Core.Data;
using Nuclei.Core.Output;
using Nuclei.Core.Report;

namespace Nuclei.Tests.Report;

/// <summary>What report.html shows of a run without --truth, and how its plots count and name.</summary>
public sealed class ReportWithoutTruthTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-report-plain-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void The_largest_value_is_counted_in_the_last_bin_which_ends_at_it()
    {
        var values = new double[] { 12, 40, 77, 150, 151, 302 };
        var bins = HistogramBins.Of(values, 5);
        Assert.Equal(values.Length, bins.Counts.Sum());
        Assert.Equal(302, bins.Max, 9);
        Assert.Equal(1, bins.Counts[^1]);                       // 302 alone in [244, 302]
        Assert.InRange(bins.Centre(bins.Counts.Count - 1), 244, 302);
        Assert.Equal(1, HistogramBins.Of([7, 7, 7], 5).Counts.Count(c => c == 3));   // equal values: one bar of all
    }

    [Fact]
    public void Boxes_are_named_by_their_image_shortened_and_thinned_out_when_many()
    {
        var ticks = ReportPlots.BoxTicks(["short", "55ff2b0ec48b76e10c7ee18add5794005cd551697f96af865c763d50da78dd9c", "sub/dir/cells"]);
        Assert.Equal([(1.0, "short"), (2.0, "55ff2b0ec48…"), (3.0, "cells")], ticks);
        var many = ReportPlots.BoxTicks(Enumerable.Range(0, 100).Select(i => $"img{i}").ToList());
        Assert.InRange(many.Count, 20, ReportPlots.MaxNamedBoxes);
        Assert.Equal("img0", many[0].Label);
    }

    [Fact]
    public void Without_truth_the_report_lists_every_image_and_the_runs_settings_and_fits_a_narrow_window()
    {
        var settings = new RunSettings { Threshold = 0.55f, Policy = "rw", Diameter = "30 px", ExcludeOnEdges = true };
        RunRecordFile.Begin(dir, new RunRecord("r1", "nuclei", "9.9.9-test", ["nuclei", "segment", "in", "--out", dir], dir, DateTimeOffset.Now, null,
            [new RunModel("/models/m.nck", "ab12", 1, 7, DateTime.UtcNow, 0.5, null)], settings));
        var writer = new SegmentationOutputWriter(dir, options: new OutputOptions(Report: true), runDescription: "test run");
        var samples = DsbDataset.Scan(TestData.SamplesDir).Samples.ToList();
        foreach (var sample in samples)
        {
            var loaded = DsbDataset.Load(sample);
            writer.Write(sample.Id, loaded.Image, loaded.Labels, seconds: 1, segmentation: new ImageSegmentation(30, 0.66, "none", 3));
        }
        writer.Finish();
        string html = File.ReadAllText(Path.Combine(dir, ReportBuilder.FileName));

        Assert.DoesNotContain("Scores against the truth", html);
        int table = html.IndexOf(">Per image</h2>", StringComparison.Ordinal);
        Assert.True(table > 0, "no per-image table");
        var rows = Regex.Matches(html[table..html.IndexOf("</table>", table, StringComparison.Ordinal)], @"<tr><td class=""id"">([^<]+)</td><td>(\d+)</td><td>([\d.]+)</td><td>30\.0</td><td>0\.660</td><td>3</td></tr>");
        Assert.Equal(samples.Select(s => s.Id).Order(StringComparer.Ordinal), rows.Select(m => m.Groups[1].Value));
        var first = DsbDataset.Load(samples.OrderBy(s => s.Id, StringComparer.Ordinal).First()).Labels;
        Assert.Equal(first.MaxLabel().ToString(), rows[0].Groups[2].Value);

        Assert.Contains(">Settings</h2>", html);
        Assert.Contains("nuclei segment in --out", html);
        Assert.Contains("9.9.9-test", html);
        Assert.Contains("<tr><th>threshold</th><td>0.55</td></tr>", html);
        Assert.Contains("<tr><th>policy</th><td>rw</td></tr>", html);
        Assert.Contains("<tr><th>exclude on edges</th><td>true</td></tr>", html);
        Assert.Contains("/models/m.nck", html);

        Assert.Contains("img{max-width:100%;height:auto}", html);   // plots shrink to the window instead of being cut off
    }
}
