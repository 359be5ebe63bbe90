using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;
using Nuclei.Cli;

namespace Nuclei.Tests.Inference;

public class SegmentCommandTests
{
    private static SegmentCommand.SegmentSettings Settings(string[] inputs, string outDir, params string[] models) =>
        new(inputs, outDir, Segmenter: new() { Models = models });

    /// <summary>The settings `nuclei segment ARGUMENTS` reads, as the command line parses them.</summary>
    private static SegmentCommand.SegmentSettings Read(params string[] arguments)
    {
        var options = new SegmentCommandOptions();
        var command = new System.CommandLine.Command("segment");
        options.AddTo(command);
        return options.Read(command.Parse(arguments));
    }

    [Fact]
    public void A_folder_with_one_corrupt_image_writes_the_others_and_exits_non_zero()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();
        t.WriteImage("a.png", SyntheticModels.RandomImage(40, 56, 3, seed: 1));
        t.WriteImage("b.png", SyntheticModels.RandomImage(33, 1, 3, seed: 2));     // 1 pixel wide
        t.WriteImage("c.png", SyntheticModels.RandomImage(3, 5, 1, seed: 3));      // smaller than the size multiple
        File.WriteAllBytes(Path.Combine(t.Dir, "images", "broken.png"), new byte[] { 1, 2, 3, 4 });
        string outDir = Path.Combine(t.Dir, "out");
        int exit = SegmentCommand.Run(Settings(new[] { Path.Combine(t.Dir, "images") }, outDir, ckpt) with
        {
            Segmenter = new() { Models = [ckpt], Tta = true }, Csv = Path.Combine(t.Dir, "sub.csv"), SaveMaps = true,
        });
        Assert.Equal(1, exit);
        foreach (var (id, h, w) in new[] { ("a", 40, 56), ("b", 33, 1), ("c", 3, 5) })
        {
            var labels = ImageIO.ReadLabels(Path.Combine(outDir, id + ".labels.png"));
            Assert.Equal((h, w), (labels.Height, labels.Width));
            Assert.True(File.Exists(Path.Combine(outDir, id + ".overlay.png")));
        }
        Assert.False(File.Exists(Path.Combine(outDir, "broken.labels.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "summary.csv")));
        Assert.True(File.Exists(Path.Combine(t.Dir, "sub.csv")));
        foreach (string head in new[] { "semantic", "contour", "marker" })
            Assert.True(File.Exists(Path.Combine(outDir, "maps", head, "a.png")), $"maps/{head}/a.png");
    }

    [Fact]
    public void A_missing_checkpoint_is_named_in_the_error()
    {
        using var t = new TestCheckpoints();
        string img = t.WriteImage("a.png", SyntheticModels.RandomImage(20, 20, 3));
        string missing = Path.Combine(t.Dir, "nope.nck");
        var e = Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Settings(new[] { img }, Path.Combine(t.Dir, "out"), missing)));
        Assert.Contains("nope.nck", e.Message);
    }

    [Fact]
    public void A_checkpoint_that_does_not_load_is_a_clear_error()
    {
        using var t = new TestCheckpoints();
        string img = t.WriteImage("a.png", SyntheticModels.RandomImage(20, 20, 3));
        string bad = Path.Combine(t.Dir, "bad.nck");
        File.WriteAllText(bad, "this is not a checkpoint");
        var e = Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Settings(new[] { img }, Path.Combine(t.Dir, "out"), bad)));
        Assert.Contains("bad.nck", e.Message);
    }

    [Fact]
    public void An_ensemble_whose_heads_disagree_is_refused()
    {
        using var t = new TestCheckpoints();
        string img = t.WriteImage("a.png", SyntheticModels.RandomImage(20, 20, 3));
        string three = t.Save("camunet", fileName: "three.nck");
        string two = t.Save("caunet", fileName: "two.nck");
        var e = Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Settings(new[] { img }, Path.Combine(t.Dir, "out"), three, two)));
        Assert.Contains("two.nck", e.Message);
        Assert.Contains("heads", e.Message);
    }

    [Fact]
    public void Resize_mode_on_a_huge_image_fails_that_image_only()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save(configuration: ("param.width", "32"));
        string small = t.WriteImage("small.png", SyntheticModels.RandomImage(30, 30, 3));
        string big = t.WriteImage("big.png", new FloatImage(300, 300, 3));
        string outDir = Path.Combine(t.Dir, "out");
        int exit = SegmentCommand.Run(Settings(new[] { small, big }, outDir, ckpt) with { Segmenter = new() { Models = [ckpt], Mode = SizeMode.Resize } });
        Assert.Equal(1, exit);
        Assert.True(File.Exists(Path.Combine(outDir, "small.labels.png")));
        Assert.False(File.Exists(Path.Combine(outDir, "big.labels.png")));
    }

    [Fact]
    public void Bad_option_values_are_named()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();
        string img = t.WriteImage("a.png", SyntheticModels.RandomImage(20, 20, 3));
        var s = Settings(new[] { img }, Path.Combine(t.Dir, "out"), ckpt);
        string[] given = [img, "--out", Path.Combine(t.Dir, "out"), "--model", ckpt];
        Assert.Contains("--mode", Assert.Throws<NucleiInputException>(() => Read([.. given, "--mode", "zoom"])).MessageFor(SettingFlags.Names));
        Assert.Contains("--policy", Assert.Throws<NucleiInputException>(() => Read([.. given, "--policy", "xx"])).MessageFor(SettingFlags.Names));
        Assert.Contains("--weights", Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Read([.. given, "--weights", "1,2"]))).MessageFor(SettingFlags.Names));
        Assert.Contains("--method", Assert.Throws<NucleiInputException>(() => Read([.. given, "--method", "magic"])).MessageFor(SettingFlags.Names));
    }

    [Fact]
    public void The_classical_method_needs_no_model()
    {
        using var t = new TestCheckpoints();
        string img = t.WriteImage("a.png", SyntheticModels.RandomImage(48, 48, 3));
        string outDir = Path.Combine(t.Dir, "out");
        int exit = SegmentCommand.Run(Read(img, "--out", outDir, "--method", "classical", "--policy", "rw"));
        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(outDir, "a.labels.png")));
    }

    [Fact]
    public void The_default_model_is_found_above_the_start_folder_and_missing_is_null()
    {
        using var t = new TestCheckpoints();
        Skip.If(Environment.GetEnvironmentVariable(DefaultModel.EnvironmentVariable) is not null, "NUCLEI_MODEL is set");
        string deep = Path.Combine(t.Dir, "a", "b");
        Directory.CreateDirectory(deep);
        Assert.Null(DefaultModel.Locate(deep));
        Directory.CreateDirectory(Path.Combine(t.Dir, "models"));
        File.WriteAllText(Path.Combine(t.Dir, "models", "default.nck"), "x");
        Assert.Equal(Path.Combine(t.Dir, "models", "default.nck"), DefaultModel.Locate(deep));
    }

    [Fact]
    public void The_missing_default_model_message_lists_every_place_looked_on_one_line()
    {
        using var t = new TestCheckpoints();
        string deep = Path.Combine(t.Dir, "a", "b");
        string message = DefaultModel.NotFoundMessage(deep).Render(SettingFlags.Names);
        Assert.DoesNotContain('\n', message);
        Assert.Contains($"${DefaultModel.EnvironmentVariable} (not set)", message);
        foreach (string dir in new[] { deep, Path.Combine(t.Dir, "a"), t.Dir })
            foreach (string rel in DefaultModel.RelativePaths)
                Assert.Contains(Path.Combine(dir, rel), message);
    }

    [Fact]
    public void Thresholds_and_policy_come_from_the_checkpoint_configuration()
    {
        var s = new CheckpointSettings(new[]
        {
            new KeyValuePair<string, string>("param.threshold", "0.4"),
            new KeyValuePair<string, string>("param:threshold_mark", "0.6"),
            new KeyValuePair<string, string>("post.policy", "rw"),
            new KeyValuePair<string, string>("post.min_object_size", "25"),
            new KeyValuePair<string, string>("pre.normalize", "percentile"),
            new KeyValuePair<string, string>("pre.mean", "[0.1, 0.2, 0.3]"),
        });
        var p = CheckpointModels.PartitionOptionsOf(s);
        Assert.Equal(Nuclei.Core.PostProcessing.SplitPolicy.RandomWalker, p.Policy);
        Assert.Equal(0.4f, p.ThresholdBody);
        Assert.Equal(0.6f, p.ThresholdMarker);
        Assert.Equal(0.5f, p.ThresholdContour);
        Assert.Equal(25, p.MinSize);
        var n = CheckpointModels.NormalizationOf(s);
        Assert.True(n.PerImagePercentile);
        Assert.Equal(new[] { 0.1, 0.2, 0.3 }, n.Mean);
        Assert.Equal(new[] { 0.5, 0.5, 0.5 }, n.Std);
    }

    [Fact]
    public void An_ensemble_of_two_copies_of_a_checkpoint_equals_the_checkpoint_alone()
    {
        using var t = new TestCheckpoints();
        string a = t.Save(seed: 5, fileName: "a.nck");
        string b = Path.Combine(t.Dir, "b.nck");
        File.Copy(a, b);
        var image = SyntheticModels.RandomImage(37, 45, 3);
        using var one = new Predictor(new[] { CheckpointModels.Load(a) });
        using var two = new Predictor(new[] { CheckpointModels.Load(a), CheckpointModels.Load(b) });
        var m1 = one.Predict(image);
        var m2 = two.Predict(image);
        for (int k = 0; k < m1.Heads.Count; k++)
            Assert.True(SyntheticModels.MaxAbsDifference(m1.Maps[k], m2.Maps[k]) < 1e-6);
    }
}
