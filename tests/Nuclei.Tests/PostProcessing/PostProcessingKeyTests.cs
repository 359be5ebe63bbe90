using Nuclei.Cli.Commands;
using Nuclei.Core.Configuration;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.PostProcessing;

/// <summary>
/// The table of post-processing settings (<see cref="PartitionOptions.Keys"/>) is what every reader walks: each key
/// has a default in config/default.ini, reads back what it writes, and, when users give it, is a flag of segment and
/// partition whose value reaches the segmenter.
/// </summary>
public class PostProcessingKeyTests
{
    [Fact]
    public void Every_key_has_a_default_and_reads_back_what_it_writes()
    {
        var defaults = ConfigurationLoader.Defaults();
        var options = new PostProcessingSettings().OverDefaults();
        foreach (var key in PartitionOptions.Keys)
        {
            Assert.True(defaults.Has(key.Section, key.Key), $"{key.IniKey} missing from config/default.ini");
            string shown = key.Show(options);
            var value = key.Parse(shown, out _);
            Assert.NotNull(value);
            Assert.Equal(shown, key.Format(value!));
            Assert.Null(key.Parse("not a value", out string expected));
            Assert.False(string.IsNullOrEmpty(expected), key.IniKey);
        }
        Assert.Equal(PartitionOptions.Keys.Select(k => k.IniKey), PostProcessingKeys.All);
    }

    [Fact]
    public void Each_key_users_give_is_a_flag_of_segment_and_partition_whose_value_reaches_the_options()
    {
        foreach (var command in new[] { SegmentCommand.Create(), PartitionCommand.Create() })
            foreach (var key in PartitionOptions.Keys.Where(k => k.Setting is not null))
            {
                var option = command.Options.SingleOrDefault(o => o.Name == "--" + key.Setting!.Name);
                Assert.True(option is not null, $"{command.Name} has no --{key.Setting!.Name}");
                Assert.StartsWith(key.Help, option!.Description);
            }

        // a value given as a flag lands where the key's entry says, over config/default.ini's
        var post = new PostProcessingCommandOptions(_ => "default");
        var command2 = new System.CommandLine.Command("x");
        foreach (var o in post.Splitting.Concat(post.Thresholds)) command2.Options.Add(o);
        var parsed = post.Read(command2.Parse(["--threshold", "0.25", "--markers", "peaks", "--min-object-size", "7"])).OverDefaults();
        Assert.Equal((0.25f, MarkerSource.Peaks, 7), (parsed.ThresholdBody, parsed.MarkerSource, parsed.MinSize));
        var bad = Assert.Throws<Nuclei.Core.NucleiInputException>(() => post.Read(command2.Parse(["--threshold-edge", "2"])));
        Assert.Contains("must be a number within 0..1, got '2'", bad.Message);
    }

    [Fact]
    public void A_checkpoint_without_remove_objects_keeps_every_size_until_a_size_is_given()
    {
        var saved = new CheckpointSettings([new("post.remove_objects", "False"), new("post.min_object_size", "30")], "x.nck");
        Assert.Equal(0, CheckpointModels.PartitionOptionsOf(saved).MinSize);
        var user = SettingsLayers.Read(new SegmenterOptions { PostProcessing = new() { MinObjectSize = 12 } });
        Assert.Equal(12, user.Over(Nuclei.ModelSegmenters.Below(saved)).ToPartitionOptions().MinSize);
    }
}
