using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Report;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.Report;

/// <summary>`segment --truth --report` and `evaluate --report` end to end on the samples (classical method: no model).</summary>
public sealed class ReportCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-report-cli-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string LastLine(string text) => text.TrimEnd().Split('\n').Last();

    [Fact]
    public void Segment_and_evaluate_write_reports_that_agree_on_the_score()
    {
        string outDir = Path.Combine(dir, "out");
        var segment = RunCli("segment", TestData.SamplesDir, "--method", "classical", "--out", outDir, "--truth", TestData.SamplesDir, "--report");
        Assert.True(segment.Exit == 0, segment.Err);
        Assert.StartsWith("mean_ap=", LastLine(segment.Out));
        Assert.Contains("report: ", segment.Err);
        Assert.True(File.Exists(Path.Combine(outDir, ReportBuilder.FileName)));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(outDir, "report_files"), "*.errors.png").Length);

        string evalHtml = Path.Combine(dir, "eval.html");
        var evaluate = RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", outDir, "--report", evalHtml);
        Assert.True(evaluate.Exit == 0, evaluate.Err);
        Assert.Equal(LastLine(segment.Out), LastLine(evaluate.Out));
        Assert.Contains("Worst images", File.ReadAllText(evalHtml));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(dir, "eval_files"), "*.errors.png").Length);
    }

    [Fact]
    public void An_image_without_annotation_fails_alone_and_the_report_lists_it()
    {
        string truth = Path.Combine(dir, "truth");
        var samples = DsbDataset.Scan(TestData.SamplesDir).Samples;
        foreach (var s in samples.Skip(1)) ImageIO.WriteLabels(Path.Combine(truth, s.Id + ".png"), DsbDataset.LoadLabels(s));
        string outDir = Path.Combine(dir, "out");
        var run = RunCli("segment", TestData.SamplesDir, "--method", "classical", "--out", outDir, "--truth", truth, "--report");
        Assert.Equal(1, run.Exit);
        Assert.Contains($"no annotation for image '{samples[0].Id}'", run.Err);
        Assert.Equal("mean_ap", LastLine(run.Out).Split('=')[0]);
        Assert.Contains($"no annotation for image &#39;{samples[0].Id}&#39;", File.ReadAllText(Path.Combine(outDir, ReportBuilder.FileName)));
    }
}
