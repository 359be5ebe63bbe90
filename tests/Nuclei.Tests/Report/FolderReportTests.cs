using Nuclei.Core.Data;
using Nuclei.Core.Output;
using Nuclei.Core.Report;

namespace Nuclei.Tests.Report;

/// <summary>report.html is rebuilt from the folder's image records, like summary.csv: it covers earlier runs' images too.</summary>
public sealed class FolderReportTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-folder-report-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static RunReport Run(string dir, IEnumerable<AnnotatedSample> samples)
    {
        var writer = new SegmentationOutputWriter(dir, options: new OutputOptions(Report: true), runDescription: "test run");
        foreach (var sample in samples)
        {
            var loaded = DsbDataset.Load(sample);
            writer.Write(sample.Id, loaded.Image, loaded.Labels, seconds: 1, truth: loaded.Labels);
        }
        return writer.Finish([])!;
    }

    [Fact]
    public void Two_runs_into_one_folder_make_one_report_of_every_image()
    {
        var samples = DsbDataset.Scan(TestData.SamplesDir).Samples;
        Run(dir, samples.Take(2));
        var report = Run(dir, samples.Skip(2));

        Assert.Equal(samples.Select(s => s.Id).Order(StringComparer.Ordinal), report.Images.Select(i => i.Id));
        Assert.All(report.Images, i => Assert.Equal(1.0, i.Evaluation!.Score.MeanAp)); // scores survive the record
        Assert.Equal(samples.Count, report.Worst.Count);
        Assert.All(report.Images, i => Assert.Equal(Uri.EscapeDataString(OutputLayout.OverlayFileName(i.Id)), i.OverlayLink));
        var records = new ImageRecords(dir);
        Assert.All(samples, s => Assert.Contains(records.Read(s.Id)!.Files, f => f.Name == $"report_files/{s.Id}.errors.png"));
        Assert.Empty(Directory.GetFiles(dir, "*.nuclei-tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_rerun_without_a_truth_removes_the_image_s_error_picture()
    {
        var sample = DsbDataset.Scan(TestData.SamplesDir).Samples[0];
        Run(dir, [sample]);
        string picture = Path.Combine(dir, "report_files", sample.Id + ReportBuilder.ErrorPictureSuffix);
        Assert.True(File.Exists(picture));

        var writer = new SegmentationOutputWriter(dir, options: new OutputOptions(Report: true));
        var loaded = DsbDataset.Load(sample);
        writer.Write(sample.Id, loaded.Image, loaded.Labels);
        var report = writer.Finish()!;
        Assert.False(File.Exists(picture));
        Assert.Null(Assert.Single(report.Images).Evaluation);
        Assert.Empty(report.Worst);
    }
}
