using System.Security.Cryptography;
using System.Text.Json;
using Nuclei.Core.Data;
using Nuclei.Core.Output;
using Nuclei.Tests.Core;

namespace Nuclei.Tests.Cli;

/// <summary>`segment` leaves run.json in its output folder: what made the label maps, kept across --resume.</summary>
public sealed class RunRecordTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-run-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Run_json_names_the_model_settings_and_images_and_a_resumed_run_keeps_the_earlier_one()
    {
        var samples = DsbDataset.Scan(TestData.SamplesDir).Samples.Take(2).ToList();
        string outDir = Path.Combine(dir, "out");
        var first = SamplesAndEvaluateTests.RunCli("segment", samples[0].ImagePath, "--out", outDir, "--threshold", "0.55", "--exclude-on-edges");
        Assert.True(first.Exit == 0, first.Err);

        var run = Read(outDir);
        Assert.Equal("nuclei-run", run.GetProperty("format").GetString());
        Assert.False(string.IsNullOrEmpty(run.GetProperty("tool_version").GetString()));
        Assert.Equal(["nuclei", "segment", samples[0].ImagePath, "--out", outDir, "--threshold", "0.55", "--exclude-on-edges"],
            run.GetProperty("command_line").EnumerateArray().Select(a => a.GetString()!));
        Assert.True(run.GetProperty("finished").GetDateTimeOffset() >= run.GetProperty("started").GetDateTimeOffset());

        var model = run.GetProperty("models")[0];
        string path = model.GetProperty("path").GetString()!;
        using (var file = File.OpenRead(path))
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), model.GetProperty("sha256").GetString());
        Assert.True(model.GetProperty("epoch").GetInt32() > 0);
        Assert.True(model.GetProperty("evaluation").GetProperty("mean_ap").GetDouble() > 0);

        var settings = run.GetProperty("settings");
        Assert.Equal(0.55, settings.GetProperty("threshold").GetDouble(), 5);    // the user's, over the model's
        Assert.True(settings.GetProperty("threshold_edge").GetDouble() > 0);       // the model's, settled
        Assert.Equal("ws", settings.GetProperty("policy").GetString());
        Assert.Equal("none", settings.GetProperty("diameter").GetString());
        Assert.True(settings.GetProperty("exclude_on_edges").GetBoolean());
        Assert.False(settings.GetProperty("tta").GetBoolean());
        var images = run.GetProperty("images");
        Assert.Equal(1, images.GetProperty("written").GetInt32());
        Assert.Equal(ReadSummaryNuclei(outDir), images.GetProperty("nuclei").GetInt64());
        var input = Assert.Single(run.GetProperty("inputs").EnumerateArray());   // the image, checkable with sha256sum
        Assert.Equal(Path.GetFullPath(samples[0].ImagePath), input.GetProperty("path").GetString());
        Assert.Equal(new FileInfo(samples[0].ImagePath).Length, input.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(samples[0].ImagePath))), input.GetProperty("sha256").GetString());

        var resumed = SamplesAndEvaluateTests.RunCli("segment", samples[0].ImagePath, samples[1].ImagePath, "--out", outDir, "--resume", "--exclude-on-edges");
        Assert.True(resumed.Exit == 0, resumed.Err);
        var again = Read(outDir);
        Assert.Contains("--resume", again.GetProperty("command_line").EnumerateArray().Select(a => a.GetString()));
        var counts = again.GetProperty("images");
        Assert.Equal((2, 1, 1, 0), (counts.GetProperty("planned").GetInt32(), counts.GetProperty("written").GetInt32(),
            counts.GetProperty("skipped").GetInt32(), counts.GetProperty("failed").GetInt32()));
        Assert.Equal(Path.GetFullPath(samples[1].ImagePath), Assert.Single(again.GetProperty("inputs").EnumerateArray()).GetProperty("path").GetString());   // what this run wrote
        var earlier = Assert.Single(again.GetProperty("earlier_runs").EnumerateArray());
        Assert.Equal(run.GetProperty("id").GetString(), earlier.GetProperty("id").GetString());
        Assert.Equal(0.55, earlier.GetProperty("settings").GetProperty("threshold").GetDouble(), 5);   // what made the first image
        Assert.NotEqual(0.55, again.GetProperty("settings").GetProperty("threshold").GetDouble(), 5);
    }

    [Fact]
    public void A_run_that_finishes_after_another_began_puts_itself_back_among_the_earlier_runs()
    {
        var settings = new RunSettings();
        RunRecord Run(string id) => new(id, "nuclei", "test", ["nuclei", "segment"], dir, DateTimeOffset.Now, null, [], settings);
        var a = RunRecordFile.Begin(dir, Run("a"));
        var b = RunRecordFile.Begin(dir, Run("b"));
        RunRecordFile.Finish(dir, a with { Finished = DateTimeOffset.Now, Images = new RunImageCounts(1, 1, 0, 0, 5) });

        var record = RunRecordFile.Read(dir)!;
        Assert.Equal("b", record.Id);
        Assert.Null(record.Finished);
        var earlier = Assert.Single(record.EarlierRuns);
        Assert.Equal(("a", 5L), (earlier.Id, earlier.Images!.Nuclei));

        RunRecordFile.Finish(dir, b with { Finished = DateTimeOffset.Now });
        Assert.Equal(["a"], RunRecordFile.Read(dir)!.EarlierRuns.Select(r => r.Id));
    }

    static JsonElement Read(string outDir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, RunRecordFile.FileName))).RootElement;

    static long ReadSummaryNuclei(string outDir) =>
        File.ReadLines(Path.Combine(outDir, SegmentationOutputWriter.SummaryFileName)).Skip(1).Sum(l => long.Parse(l.Split(',')[1]));
}
