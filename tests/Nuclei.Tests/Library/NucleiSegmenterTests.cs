using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Metrics;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Runtime;
using Nuclei.Tests.Inference;
using Nuclei.Tests.Safety;
using Nuclei.Cli;

namespace Nuclei.Tests.Library;

/// <summary>The library entry point: settings layering, options that do not apply, batch and re-post-processing.</summary>
public class NucleiSegmenterTests
{
    [Fact]
    public void Post_processing_is_layered_saved_then_config_file_then_overrides_then_named_options()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save(configuration: [("param.threshold", "0.4"), ("param.threshold_mark", "0.6"), ("post.policy", "rw")]);
        string ini = Path.Combine(t.Dir, "my.ini");
        File.WriteAllText(ini, "[param]\nthreshold = 0.3\nthreshold_edge = 0.2\n[post]\nmin_object_size = 7\n");

        using (var saved = NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt] }))
        {
            var p = saved.PostProcessing!;
            Assert.Equal((0.4f, 0.5f, 0.6f, SplitPolicy.RandomWalker, 10), (p.ThresholdBody, p.ThresholdContour, p.ThresholdMarker, p.Policy, p.MinSize));
        }
        using var layered = NucleiSegmenter.Load(new SegmenterOptions
        {
            Models = [ckpt], Config = ini, Overrides = ["param.threshold_edge=0.25", "post.policy=ws"],
            PostProcessing = new PostProcessingSettings { MinObjectSize = 3 },
        });
        var q = layered.PostProcessing!;
        Assert.Equal((0.3f, 0.25f, 0.6f, SplitPolicy.Watershed, 3), (q.ThresholdBody, q.ThresholdContour, q.ThresholdMarker, q.Policy, q.MinSize));
    }

    [Fact]
    public void A_setting_segmentation_does_not_read_or_a_bad_value_is_named()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();
        var training = Assert.Throws<NucleiInputException>(() => NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt], Overrides = ["train.n_epoch=3"] }));
        Assert.Contains("train.n_epoch", training.Message);
        var range = Assert.Throws<NucleiInputException>(() => NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt], PostProcessing = new() { Threshold = 1.5f } }));
        Assert.Contains("threshold", range.Message);
        Assert.DoesNotContain("model.nck", range.Message); // the user's value, not the checkpoint's
    }

    [Fact]
    public void Network_options_with_the_classical_method_are_an_error_naming_each()
    {
        var e = Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(new SegmentCommand.SegmentSettings(
            [TestData.SamplesDir], Path.Combine(Path.GetTempPath(), "unused"), Segmenter: new()
            {
                Method = SegmentationMethod.Classical, Tta = true, Mode = SegmenterOptionText.Mode("tile"), Precision = SegmenterOptionText.Precision("bf16"),
                PostProcessing = new() { Threshold = 0.3f },
            })));
        foreach (string option in new[] { "--tta", "--mode", "--threshold", "--precision" }) Assert.Contains(option, e.MessageFor(SettingFlags.Names));
        var key = Assert.Throws<NucleiInputException>(() => NucleiSegmenter.Load(new SegmenterOptions
        { Method = SegmentationMethod.Classical, Overrides = ["param.threshold_edge=0.3"] }));
        Assert.Contains("param.threshold_edge", key.Message);
    }

    [Fact]
    public void Bfloat16_finds_the_nuclei_float32_finds_on_the_samples()
    {
        string model = Path.Combine(TestData.RepoRoot, "models", "default.nck");
        using var fp32 = NucleiSegmenter.Load(new SegmenterOptions { Models = [model] });
        using var bf16 = NucleiSegmenter.Load(new SegmenterOptions { Models = [model], Precision = ComputePrecision.Bf16 });
        var images = Directory.EnumerateDirectories(TestData.SamplesDir).Where(d => Directory.Exists(Path.Combine(d, "images")))
            .Select(d => Path.Combine(d, "images", Path.GetFileName(d) + ".png")).ToList();
        Assert.NotEmpty(images);
        foreach (string image in images)
        {
            var a = fp32.Segment(image);
            var b = bf16.Segment(image);
            double agreement = DsbMetric.Score(a.Labels, b.Labels).MeanAp;
            Assert.True(agreement >= 0.9, $"{Path.GetFileName(image)}: bfloat16 labels agree {agreement:F3} with float32's");
            Assert.True(Math.Abs(b.Count - a.Count) <= Math.Max(1, a.Count * 0.05), $"{Path.GetFileName(image)}: {b.Count} nuclei in bfloat16, {a.Count} in float32");
        }
    }

    [Fact]
    public void The_command_line_refuses_tta_with_the_classical_method_with_exit_2()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "nuclei-unused-" + Guid.NewGuid().ToString("N"));
        var (exit, err) = KillAndDiskFullTests.RunCli(["segment", TestData.SamplesDir, "--out", outDir, "--method", "classical", "--tta"]);
        Assert.Equal(2, exit);
        Assert.Contains("--tta", err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Post_processing_again_with_the_same_settings_gives_the_same_labels_and_new_thresholds_match_a_fresh_load()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save(seed: 3);
        var image = SyntheticModels.RandomImage(48, 40, 3, seed: 4);
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt] });
        var first = segmenter.Segment(image);
        Assert.Equal(first.Labels.Data, segmenter.PostProcess(first, new PostProcessingSettings()).Labels.Data);

        // thresholds at quantiles of the body map, so that the two settings really differ
        var body = first.Maps!.Get("semantic")!.Data.Order().ToArray();
        var changes = new PostProcessingSettings { Threshold = body[body.Length / 3], MinObjectSize = 2 };
        var again = segmenter.PostProcess(first, changes);
        using var fresh = NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt], PostProcessing = changes });
        Assert.Equal(fresh.Segment(image).Labels.Data, again.Labels.Data);
        Assert.Equal(again.Count, again.Nuclei.Count);
    }

    [Fact]
    public void A_batch_reports_progress_and_goes_on_after_a_bad_file()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();
        string good = t.WriteImage("a.png", SyntheticModels.RandomImage(30, 30, 3));
        string bad = Path.Combine(t.Dir, "images", "broken.png");
        File.WriteAllBytes(bad, [1, 2, 3]);
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Models = [ckpt] });
        var seen = new List<SegmentationProgress>();
        var outcomes = segmenter.SegmentMany([bad, good], new SyncProgress(seen.Add)).ToList();
        Assert.NotNull(outcomes[0].Error);
        Assert.Contains("broken.png", outcomes[0].Error!.Message);
        Assert.Equal((30, 30), (outcomes[1].Result!.Labels.Height, outcomes[1].Result!.Labels.Width));
        Assert.Equal([1, 2], seen.Select(p => p.Done));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => segmenter.SegmentMany([good], cancellation: cancelled.Token).ToList());
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class SyncProgress(Action<SegmentationProgress> report) : IProgress<SegmentationProgress>
    {
        public void Report(SegmentationProgress value) => report(value);
    }

    [Fact]
    public void A_file_of_several_channels_is_refused_without_a_channel_and_read_in_the_one_chosen()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nuclei-lib-channels-{Guid.NewGuid():N}.ome.tif");
        File.WriteAllBytes(path, Nuclei.Tests.Server.TestImages.TwoChannelTiff());
        try
        {
            using (var plain = NucleiSegmenter.Load(new SegmenterOptions { Method = SegmentationMethod.Classical }))
            {
                var e = Assert.Throws<NucleiInputException>(() => plain.Segment(path));
                Assert.Contains("DAPI", e.Message);   // it lists the channels instead of reading page 1
            }
            int Count(string channel)
            {
                using var chosen = NucleiSegmenter.Load(new SegmenterOptions
                {
                    Method = SegmentationMethod.Classical, Planes = Nuclei.Core.IO.PlaneChoice.Parse(channel, null),
                });
                var result = chosen.Segment(path);
                Assert.Equal(1, result.Image.Channels);
                return result.Labels.MaxLabel();
            }
            Assert.Equal(3, Count("DAPI"));   // the three disks of channel 1
            Assert.Equal(5, Count("2"));      // the five spots of channel 2
            using var each = NucleiSegmenter.Load(new SegmenterOptions { Method = SegmentationMethod.Classical, Planes = Nuclei.Core.IO.PlaneChoice.Parse("1", "each") });
            Assert.Throws<ArgumentException>(() => each.Segment(path));
        }
        finally { File.Delete(path); }
    }
}
