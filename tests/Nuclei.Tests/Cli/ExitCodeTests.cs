using Nuclei.Tests.DataTools;
using Nuclei.Tests.Inference;
using Nuclei.Tests.PostProcessing;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.Cli;

/// <summary>
/// The README's exit-code table, row by row, through the built `nuclei` program: 0 everything done, 1 some inputs
/// failed (or data check found problems), 2 a usage error or bad input that stopped the command.
/// </summary>
public sealed class ExitCodeTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-exit-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static void AssertExit(int expected, (int Exit, string Out, string Err) run, string what) =>
        Assert.True(run.Exit == expected, $"{what}: exit {run.Exit}, expected {expected}\nstdout: {run.Out}\nstderr: {run.Err}");

    /// <summary>A folder with one sample image and one file that is not an image.</summary>
    string ImagesWithOneBroken()
    {
        string images = Path.Combine(dir, "images");
        Directory.CreateDirectory(images);
        string sample = Directory.EnumerateDirectories(TestData.SamplesDir).Order(StringComparer.Ordinal).First();
        string id = Path.GetFileName(sample);
        File.Copy(Path.Combine(sample, "images", id + ".png"), Path.Combine(images, "good.png"));
        File.WriteAllBytes(Path.Combine(images, "broken.png"), [1, 2, 3, 4]);
        return images;
    }

    [Theory]
    [InlineData("segment", "samples")]                            // --out missing
    [InlineData("evaluate", "--truth", "samples")]                // --pred missing
    [InlineData("partition", "--out", "x")]                       // --body missing
    [InlineData("train")]                                         // --data missing
    [InlineData("tune", "--model", "m.nck")]                      // --data and --out missing
    [InlineData("adapt", "x.png")]                                // --model and --out missing
    [InlineData("models", "--no-such-option")]
    [InlineData("export", "--model", "m.nck")]                     // --out missing
    [InlineData("data", "check")]                                 // DIR missing
    [InlineData("data", "split", "samples")]                      // --out missing
    [InlineData("--quiet", "--verbose", "models")]
    public void Usage_errors_exit_2(params string[] args) => AssertExit(2, RunCli(args), string.Join(' ', args));

    [Fact]
    public void A_mistyped_option_is_named_as_an_option_with_the_closest_one_not_as_a_missing_input()
    {
        var segment = RunCli("segment", TestData.SamplesDir, "--diamter", "30", "--out", Path.Combine(dir, "t"));
        AssertExit(2, segment, "segment --diamter");
        Assert.Contains("unknown option '--diamter' for `nuclei segment`; did you mean --diameter?", segment.Err);
        Assert.DoesNotContain("no such file", segment.Err);
        Assert.False(Directory.Exists(Path.Combine(dir, "t")), "nothing is written");
        var train = RunCli("train", "--data", TestData.SamplesDir, "--out", Path.Combine(dir, "r"), "--epoks=3");
        AssertExit(2, train, "train --epoks");
        Assert.Contains("unknown option '--epoks' for `nuclei train`; did you mean --epochs?", train.Err);

        // An existing file whose name starts with a dash is an input, not an option.
        string dashed = Path.Combine(dir, "in");
        Directory.CreateDirectory(dashed);
        string sample = Directory.EnumerateDirectories(TestData.SamplesDir).Order(StringComparer.Ordinal).First();
        File.Copy(Path.Combine(sample, "images", Path.GetFileName(sample) + ".png"), Path.Combine(dashed, "-odd.png"));
        var odd = RunCliIn(dashed, "segment", "-odd.png", "--method", "classical", "--out", "o");
        AssertExit(0, odd, "a file named -odd.png");
    }

    [Fact]
    public void Segment_0_all_written_1_some_failed_2_bad_input()
    {
        AssertExit(0, RunCli("segment", TestData.SamplesDir, "--method", "classical", "--out", Path.Combine(dir, "a")), "all images");
        var some = RunCli("segment", ImagesWithOneBroken(), "--method", "classical", "--out", Path.Combine(dir, "b"));
        AssertExit(1, some, "one broken image");
        Assert.Contains("broken.png", some.Err);
        var missing = RunCli("segment", Path.Combine(dir, "nope.png"), "--method", "classical", "--out", Path.Combine(dir, "c"));
        AssertExit(2, missing, "missing input");
        Assert.Contains("nope.png", missing.Err);
        AssertExit(2, RunCli("segment", TestData.SamplesDir, "--method", "classic", "--out", Path.Combine(dir, "d")), "unknown --method");
        var precision = RunCli("segment", TestData.SamplesDir, "--precision", "fp16", "--out", Path.Combine(dir, "e"));
        AssertExit(2, precision, "unknown --precision");
        Assert.Contains("--precision must be one of fp32, bf16, auto, got 'fp16'", precision.Err);
    }

    [Fact]
    public void Partition_0_all_split_1_some_failed_2_bad_input()
    {
        string body = Path.Combine(dir, "body"), contour = Path.Combine(dir, "contour");
        Directory.CreateDirectory(body);
        Directory.CreateDirectory(contour);
        var discs = new Nuclei.Core.Imaging.FloatImage(40, 60, 1, Shapes.ToFloat(Shapes.Discs(40, 60, (20, 22, 10), (20, 38, 10))));
        Nuclei.Core.Imaging.ImageIO.WriteImage8(Path.Combine(body, "good.png"), discs);
        AssertExit(0, RunCli("partition", "--body", body, "--out", Path.Combine(dir, "a")), "good maps");
        Nuclei.Core.Imaging.ImageIO.WriteImage8(Path.Combine(body, "bad.png"), discs);
        Nuclei.Core.Imaging.ImageIO.WriteImage8(Path.Combine(contour, "bad.png"), new Nuclei.Core.Imaging.FloatImage(20, 20, 1));
        AssertExit(1, RunCli("partition", "--body", body, "--contour", contour, "--out", Path.Combine(dir, "b")), "a contour map of the wrong size");
        AssertExit(2, RunCli("partition", "--body", body, "--out", Path.Combine(dir, "c"), "--policy", "xx"), "bad --policy");
    }

    [Fact]
    public void Evaluate_0_scored_2_bad_input()
    {
        string pred = Path.Combine(dir, "pred");
        AssertExit(0, RunCli("segment", TestData.SamplesDir, "--method", "classical", "--out", pred, "--quiet"), "segment");
        AssertExit(0, RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", pred), "evaluate");
        AssertExit(2, RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", Path.Combine(dir, "nope")), "missing predictions");
        File.Delete(Directory.EnumerateFiles(pred, "*.labels.png").First());
        AssertExit(2, RunCli("evaluate", "--truth", TestData.SamplesDir, "--pred", pred), "an image without prediction");
    }

    [Fact]
    public void Models_0_listed_or_described_2_unreadable_checkpoint()
    {
        using var t = new TestCheckpoints();
        string good = t.Save();
        AssertExit(0, RunCli("models", "--model", good), "describe");
        AssertExit(0, RunCli("models"), "list");
        string bad = Path.Combine(t.Dir, "bad.nck");
        File.WriteAllBytes(bad, File.ReadAllBytes(good)[..100]);
        var run = RunCli("models", "--model", bad);
        AssertExit(2, run, "truncated checkpoint");
        Assert.Contains("bad.nck", run.Err);
    }

    [Fact]
    public void Tune_0_tuned_2_bad_input()
    {
        using var t = new TestCheckpoints();
        string model = t.Save();
        var ds = new PlantedDataset(Path.Combine(dir, "set"));
        foreach (string id in new[] { "a", "b" })
        {
            ds.Image(id);
            ds.Box(id, "n1", 4, 4, 10, 10);
            ds.Box(id, "n2", 16, 20, 10, 12);
        }
        string tuned = Path.Combine(dir, "tuned.nck");
        AssertExit(0, RunCli("tune", "--model", model, "--data", ds.Root, "--out", tuned, "--threads", "1"), "tune");
        Assert.True(File.Exists(tuned));
        AssertExit(2, RunCli("tune", "--model", model, "--data", ds.Root, "--out", model), "--out is the input");
    }

    [Fact]
    public void Data_check_0_clean_1_problems_2_not_a_dataset()
    {
        var ds = new PlantedDataset(Path.Combine(dir, "set"));
        ds.Image("clean");
        ds.Box("clean", "a", 2, 2, 8, 8);
        AssertExit(0, RunCli("data", "check", ds.Root), "clean");
        ds.Image("holes");
        ds.Mask("holes", "a", (y, x) => (byte)(y is >= 2 and < 12 && x is >= 2 and < 12 && !(y == 6 && x == 6) ? 255 : 0));
        AssertExit(1, RunCli("data", "check", ds.Root), "a mask with a hole");
        AssertExit(2, RunCli("data", "check", Path.Combine(dir, "nope")), "no such folder");
    }

    [Fact]
    public void Data_tools_0_done_1_some_images_failed_2_output_exists()
    {
        foreach (var args in new[]
                 {
                     new[] { "data", "describe", TestData.SamplesDir, "--out" },
                     ["data", "split", TestData.SamplesDir, "--group", "none", "--valid", "0.5", "--out"],
                     ["data", "crop", TestData.SamplesDir, "--width", "128", "--step", "100", "--out"],
                     ["data", "convert", TestData.SamplesDir, "--from", "dsb", "--to", "labels", "--out"],
                 })
        {
            string outDir = Path.Combine(dir, args[1]);
            AssertExit(0, RunCli([.. args, outDir]), args[1]);
            if (args[1] != "describe") AssertExit(2, RunCli([.. args, outDir]), args[1] + " into an existing folder");
        }
        var ds = new PlantedDataset(Path.Combine(dir, "set"));
        ds.Image("good");
        ds.Box("good", "a", 2, 2, 8, 8);
        ds.Image("broken");
        ds.Box("broken", "a", 2, 2, 8, 8);
        File.WriteAllBytes(Path.Combine(ds.Root, "broken", "images", "broken.png"), [1, 2, 3]);
        AssertExit(1, RunCli("data", "describe", ds.Root), "describe with an unreadable image");
    }
}
