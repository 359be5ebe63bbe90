using System.Diagnostics;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Metrics;
using Nuclei.Core.Output;
using Nuclei.Core.Rle;

namespace Nuclei.Tests.Core;

/// <summary>The committed samples load as documented, and `nuclei evaluate` scores them end to end.</summary>
public sealed class SamplesAndEvaluateTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-eval-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void SamplesLoadWithTheDocumentedNucleusCounts()
    {
        var ds = DsbDataset.Scan(TestData.SamplesDir);
        var counts = ds.Samples.ToDictionary(s => s.Id[..8], s => DsbDataset.Load(s));
        Assert.Equal(4, counts.Count);
        Assert.Equal(20, counts["55ff2b0e"].Labels.MaxLabel());
        Assert.Equal(57, counts["693bc645"].Labels.MaxLabel());
        Assert.Equal(18, counts["673baf65"].Labels.MaxLabel());
        Assert.Equal(23, counts["4217e25d"].Labels.MaxLabel());
        Assert.All(counts.Values, l => Assert.Equal(3, l.Image.Channels));
        Assert.All(counts.Values, l => Assert.Equal(0, l.OverlapPixels));
        Assert.Equal((256, 320), (counts["673baf65"].Image.Height, counts["673baf65"].Image.Width));
        Assert.Equal(4, InputCollector.Collect(new[] { TestData.SamplesDir }).Count);
    }

    /// <summary>Writes the samples' own label maps (and eroded ones) the way `nuclei segment` would.</summary>
    (string Exact, string Eroded, string ErodedCsv, double ErodedMean) WritePredictions()
    {
        string exact = Path.Combine(dir, "exact"), eroded = Path.Combine(dir, "eroded"), csv = Path.Combine(dir, "eroded.csv");
        var exactWriter = new SegmentationOutputWriter(exact);
        var erodedWriter = new SegmentationOutputWriter(eroded, csv);
        var scores = new List<ImageScore>();
        foreach (var s in DsbDataset.Scan(TestData.SamplesDir).Samples)
        {
            var l = DsbDataset.Load(s);
            var e = Nuclei.Core.Imaging.LabelErosion.ErodeEach(l.Labels);
            exactWriter.Write(s.Id, l.Image, l.Labels);
            erodedWriter.Write(s.Id, l.Image, e);
            scores.Add(DsbMetric.Score(l.Labels, e));
        }
        exactWriter.Finish();
        erodedWriter.Finish();
        return (exact, eroded, csv, DatasetScore.Aggregate(scores).MeanAp);
    }

    [Fact]
    public void EvaluationAgreesAcrossFolderAndCsvForms()
    {
        var p = WritePredictions();
        Assert.Equal(1.0, Evaluation.Run(TestData.SamplesDir, p.Exact).Dataset.MeanAp);
        double folder = Evaluation.Run(TestData.SamplesDir, p.Eroded).Dataset.MeanAp;
        double csv = Evaluation.Run(TestData.SamplesDir, p.ErodedCsv).Dataset.MeanAp;
        Assert.Equal(p.ErodedMean, folder, 12);
        Assert.Equal(p.ErodedMean, csv, 12);
        Assert.InRange(folder, 0.05, 0.95);

        // The same truth as a solution CSV.
        string solution = Path.Combine(dir, "solution.csv");
        var rows = DsbDataset.Scan(TestData.SamplesDir).Samples.SelectMany(s =>
        {
            var l = DsbDataset.LoadLabels(s);
            return RunLength.EncodeAll(l).Values.Select(r => $"{s.Id},{r},{l.Height},{l.Width}");
        });
        File.WriteAllLines(solution, rows.Prepend("ImageId,EncodedPixels,Height,Width"));
        Assert.Equal(p.ErodedMean, Evaluation.Run(solution, p.Eroded).Dataset.MeanAp, 12);
    }

    [Fact]
    public void Evaluate_reads_predictions_in_the_DSB_layout_that_data_convert_writes()
    {
        string labels = Path.Combine(dir, "as-labels"), dsb = Path.Combine(dir, "as-dsb");
        Assert.Equal(0, RunCli("data", "convert", TestData.SamplesDir, "--from", "dsb", "--to", "labels", "--out", labels, "-q").Exit);
        Assert.Equal(0, RunCli("data", "convert", labels, "--from", "labels", "--to", "dsb", "--out", dsb, "-q").Exit);
        var run = RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", dsb);
        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("mean_ap=1.0000 images=4", run.Out + run.Err);
    }

    [Fact]
    public void IdsOnOneSideOnlyAreAnErrorNamingThem()
    {
        var p = WritePredictions();
        File.Delete(Directory.EnumerateFiles(p.Exact, "55ff*.labels.png").First());
        File.Copy(Directory.EnumerateFiles(p.Exact, "693bc*.labels.png").First(), Path.Combine(p.Exact, "stranger.labels.png"));
        var e = Assert.Throws<NucleiInputException>(() => Evaluation.Run(TestData.SamplesDir, p.Exact));
        Assert.Contains("stranger", e.Message);
        Assert.Contains("55ff2b0ec48b76e10c7ee18add5794005cd551697f96af865c763d50da78dd9c", e.Message);
    }

    /// <summary>Runs the built `nuclei` command with these arguments; returns its exit code, stdout and stderr.</summary>
    internal static (int Exit, string Out, string Err) RunCli(params string[] args) => RunCliIn(null, args);

    /// <summary>As <see cref="RunCli"/>, started in <paramref name="workingDirectory"/> (null: this process's).</summary>
    internal static (int Exit, string Out, string Err) RunCliIn(string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nuclei.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Fact]
    public void EvaluateCommandEndsWithTheMeanApLine()
    {
        var p = WritePredictions();
        string scores = Path.Combine(dir, "scores.csv");
        var exact = RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", p.Exact, "--per-image", "--scores", scores);
        Assert.True(exact.Exit == 0, exact.Err);
        Assert.Equal("mean_ap=1.0000 images=4", exact.Out.TrimEnd().Split('\n').Last());
        Assert.Contains("693bc64581275f04fc456da74f031d583733360a1f6032fa38b3fbf592ff4352", exact.Out);
        // without 3D stacks the scores file keeps its seven columns
        var lines = File.ReadAllLines(scores);
        Assert.Equal("image,mean_ap,ap_50,f1_50,true_objects,predicted_objects,pixel_iou", lines[0]);
        Assert.Equal(5, lines.Length);

        var eroded = RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", p.ErodedCsv);
        Assert.Equal(0, eroded.Exit);
        Assert.Equal($"mean_ap={p.ErodedMean.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} images=4",
            eroded.Out.TrimEnd().Split('\n').Last());

        var missing = RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", Path.Combine(dir, "nope"));
        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("nope", missing.Err);
    }
}
