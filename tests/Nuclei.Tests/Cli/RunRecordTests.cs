using System.Security.Cryptography;
using System.Text.Json;
using Nuclei.Core.Configuration;
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
    public void Run_json_says_which_layer_gave_each_setting_and_the_report_shows_it()
    {
        var sample = DsbDataset.Scan(TestData.SamplesDir).Samples[0];
        string outDir = Path.Combine(dir, "out"), config = Path.Combine(dir, "user.ini");
        // the file sets two keys; the command line sets one of them again (it wins), a third by key=value and a fourth by option
        File.WriteAllText(config, "[param]\nthreshold = 0.7\n\n[post]\nmin_object_size = 25\n");
        var result = SamplesAndEvaluateTests.RunCli("segment", sample.ImagePath, "post.markers=peaks", "--out", outDir, "--config", config,
            "--threshold", "0.55", "--tile-size", "256", "--report");
        Assert.True(result.Exit == 0, result.Err);

        var run = Read(outDir);
        var settings = run.GetProperty("settings");
        var sources = run.GetProperty("setting_sources");
        string Source(string name) => sources.GetProperty(name).GetString()!;
        Assert.Equal(25, settings.GetProperty("min_object_size").GetInt32());
        Assert.Equal("config", Source("min_object_size"));
        Assert.Equal(0.55, settings.GetProperty("threshold").GetDouble(), 5);
        Assert.Equal("command line", Source("threshold"));
        Assert.Equal("peaks", settings.GetProperty("markers").GetString());
        Assert.Equal("command line", Source("markers"));
        Assert.Equal("command line", Source("tile_size"));
        Assert.Equal("checkpoint", Source("threshold_edge"));     // the bundled model saves its whole configuration
        Assert.Equal("checkpoint", Source("model_diameter"));
        Assert.Equal("default", Source("mode"));
        Assert.Equal("default", Source("channel"));
        // every setting listed has its source, and only those
        Assert.Equal(settings.EnumerateObject().Select(p => p.Name), sources.EnumerateObject().Select(p => p.Name));

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("<th>min object size</th><td>25</td><td class=\"muted\">config</td>", html);
        Assert.Contains("<th>threshold</th><td>0.55</td><td class=\"muted\">command line</td>", html);
        Assert.Contains("<th>mode</th><td>auto</td><td class=\"muted\">default</td>", html);
    }

    [Fact]
    public void A_key_neither_the_user_nor_the_model_sets_comes_from_the_defaults()
    {
        using var t = new Nuclei.Tests.Inference.TestCheckpoints();
        string model = t.Save(configuration: [("param.threshold", "0.4"), ("post.markers", " ")]);   // an empty name reads as the default's
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Models = [model], Overrides = ["post.policy=rw"], Tta = true });
        var sources = segmenter.SettingSources;
        Assert.Equal(0.4f, segmenter.Settings.Threshold);
        Assert.Equal(SettingSource.Checkpoint, sources["threshold"]);
        Assert.Equal(SettingSource.CommandLine, sources["policy"]);
        Assert.Equal(SettingSource.CommandLine, sources["tta"]);
        Assert.Equal(SettingSource.Default, sources["markers"]);
        Assert.Equal(SettingSource.Default, sources["fill_holes"]);
        Assert.Equal(SettingSource.Default, sources["min_object_size"]);
    }

    [Fact]
    public void The_classical_method_takes_its_settings_from_the_user_or_its_defaults()
    {
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Method = SegmentationMethod.Classical, Overrides = ["post.min_object_size=12"] });
        var sources = segmenter.SettingSources;
        Assert.Equal((SettingSource.CommandLine, SettingSource.Default, SettingSource.CommandLine),
            (sources["min_object_size"], sources["policy"], sources["method"]));
    }

    [Fact]
    public void A_record_written_before_sources_were_kept_still_reads_with_none()
    {
        var written = RunRecordFile.Serialize(new RunRecord("old", "nuclei", "test", ["nuclei", "segment"], dir, DateTimeOffset.Now, null, [], new RunSettings()));
        var old = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(written)!;
        Assert.True(old.Remove("setting_sources"));
        var read = RunRecordFile.Parse(JsonSerializer.Serialize(old))!;
        Assert.Empty(read.SettingSources);
        Assert.Equal("command line", RunRecordFile.SourceName(SettingSource.CommandLine));
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
        File.ReadLines(Path.Combine(outDir, OutputLayout.SummaryFileName)).Skip(1).Sum(l => long.Parse(l.Split(',')[1]));
}
