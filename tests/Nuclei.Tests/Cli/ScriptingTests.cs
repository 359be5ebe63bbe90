using System.Text.Json;
using Nuclei.Tests.Inference;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.Cli;

/// <summary>What scripts rely on: --json alone on stdout, plain text when piped, --quiet printing errors only.</summary>
public sealed class ScriptingTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-scripting-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Segment_json_describes_each_of_the_four_samples()
    {
        string outDir = Path.Combine(dir, "out");
        var run = RunCli("segment", TestData.SamplesDir, "--method", "classical", "--out", outDir, "--json");
        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("nuclei segment:", run.Err);            // messages still go to stderr

        using var json = JsonDocument.Parse(run.Out);           // stdout holds the JSON document and nothing else
        var summary = json.RootElement;
        Assert.Equal("segment", summary.GetProperty("command").GetString());
        Assert.Equal(4, summary.GetProperty("images").GetInt32());
        Assert.Equal(4, summary.GetProperty("written").GetInt32());
        Assert.Equal(0, summary.GetProperty("failed").GetInt32());
        Assert.Equal(0, summary.GetProperty("exit_code").GetInt32());
        var summaryCsv = File.ReadAllLines(Path.Combine(outDir, "summary.csv")).Skip(1).ToDictionary(l => l.Split(',')[0], l => int.Parse(l.Split(',')[1]));
        var results = summary.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        foreach (var r in results)
        {
            string path = r.GetProperty("path").GetString()!, id = r.GetProperty("id").GetString()!;
            Assert.True(File.Exists(path), path);
            Assert.StartsWith(id, Path.GetFileName(path));
            Assert.Equal(summaryCsv[id], r.GetProperty("nuclei").GetInt32());
            Assert.True(r.GetProperty("nuclei").GetInt32() > 0, id);
            Assert.True(r.GetProperty("seconds").GetDouble() >= 0);
            Assert.False(r.TryGetProperty("error", out _));
            var outputs = r.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()!).ToList();
            Assert.Contains(Path.Combine(outDir, id + ".labels.png"), outputs);
            Assert.Contains(Path.Combine(outDir, id + ".overlay.png"), outputs);
            Assert.All(outputs, o => Assert.True(File.Exists(o), o));
        }
    }

    [Fact]
    public void Evaluate_json_holds_the_scores_and_piped_tables_have_no_box_drawing()
    {
        string pred = Path.Combine(dir, "pred");
        Assert.Equal(0, RunCli("segment", TestData.SamplesDir, "--method", "classical", "--out", pred, "--quiet").Exit);
        var text = RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", pred, "--per-image");
        Assert.Equal(0, text.Exit);
        Assert.DoesNotContain(text.Out, c => c is >= '\u2500' and <= '\u257F' or '\u001b');
        double meanAp = double.Parse(text.Out.TrimEnd().Split('\n').Last().Split(' ')[0]["mean_ap=".Length..], System.Globalization.CultureInfo.InvariantCulture);

        var run = RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", pred, "--json", "--per-image");
        Assert.Equal(0, run.Exit);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(meanAp, json.RootElement.GetProperty("mean_ap").GetDouble(), 4);
        Assert.Equal(4, json.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(10, json.RootElement.GetProperty("thresholds").GetArrayLength());
        Assert.Equal(4, json.RootElement.GetProperty("per_image").GetArrayLength());
        Assert.Contains("mean_ap=", run.Err);                    // the text went to stderr
    }

    [Fact]
    public void Quiet_prints_nothing_but_errors()
    {
        var ok = RunCli("segment", TestData.SamplesDir, "--method", "classical", "--out", Path.Combine(dir, "a"), "--quiet");
        Assert.Equal(0, ok.Exit);
        Assert.Equal("", ok.Out);
        Assert.Equal("", ok.Err);
        var bad = RunCli("segment", Path.Combine(dir, "nope.png"), "--method", "classical", "--out", Path.Combine(dir, "b"), "-q");
        Assert.Equal(2, bad.Exit);
        Assert.StartsWith("error: ", bad.Err);
        Assert.Contains("nope.png", bad.Err);
    }

    [Fact]
    public void Models_json_describes_a_checkpoint()
    {
        using var t = new TestCheckpoints();
        string model = t.Save();
        var run = RunCli("models", "--model", model, "--json");
        Assert.True(run.Exit == 0, run.Err);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("camunet", json.RootElement.GetProperty("model").GetString());
        Assert.Equal("0", json.RootElement.GetProperty("epoch").GetString());
    }
}
