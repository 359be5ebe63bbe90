using Nuclei.Core;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Inference;

/// <summary>
/// Every value inference reads from a checkpoint's configuration: a missing key takes the default, a present but
/// malformed or out-of-range one is an error naming the checkpoint file and the key (never a silent default).
/// </summary>
public sealed class CheckpointSettingsTests
{
    const string File = "/models/x.nck";

    static CheckpointSettings With(string key, string value) => new([new(key, value)], File);

    public static TheoryData<string, string> BadValues => new()
    {
        { "param.threshold", "banana" },
        { "param.threshold", "1.5" },
        { "param.threshold", "NaN" },
        { "param.threshold_edge", "-0.1" },
        { "param.threshold_mark", "Infinity" },
        { "post.min_object_size", "-3" },
        { "post.min_object_size", "2.5" },
        { "post.remove_objects", "yes" },
        { "post.fill_holes", "" },
        { "post.policy", "magic" },
        { "post.markers", "all" },
        { "pre.normalize", "zscore" },
        { "pre.mean", "[0.5, x, 0.5]" },
        { "pre.std", "[0, 0, 0]" },
        { "pre.std", "[]" },
        { "pre.percentile_low", "-1" },
        { "pre.percentile_high", "0.5" }, // below percentile_low's default of 1
        { "param.width", "0" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_malformed_value_is_an_error_naming_the_file_and_the_key(string key, string value)
    {
        var s = With(key, value);
        var e = Assert.Throws<NucleiInputException>(() =>
        {
            CheckpointModels.PartitionOptionsOf(s);
            CheckpointModels.NormalizationOf(s);
            s.GetInt("param", "width", min: 1, max: 8192); // what FromNetwork reads
        });
        string[] parts = key.Split('.');
        Assert.StartsWith(File + ": ", e.Message);
        Assert.Contains($"[{parts[0]}] {parts[1]} = '{value}'", e.Message);
        Assert.Contains("expected", e.Message);
    }

    [Fact]
    public void Missing_keys_take_the_defaults_and_good_values_are_read()
    {
        var defaults = CheckpointModels.PartitionOptionsOf(new CheckpointSettings([], File));
        Assert.Equal(0.5f, defaults.ThresholdBody);
        var s = new CheckpointSettings([new("post.remove_objects", "False"), new("post.min_object_size", "30"), new("pre.std", "[0.25]"),
            new("pre.normalize", "Percentile")], File);
        Assert.Equal(0, CheckpointModels.PartitionOptionsOf(s).MinSize);
        var n = CheckpointModels.NormalizationOf(s);
        Assert.True(n.PerImagePercentile);
        Assert.Equal([0.25], n.Std);
    }

    [Fact]
    public void A_checkpoint_without_its_scale_range_reads_the_default_ini_range()
    {
        var learned = LearnedDiameters.Of(20, new CheckpointSettings([], File))!;
        var defaults = Nuclei.Core.Configuration.ConfigurationLoader.Defaults();
        Assert.Equal(defaults.GetDouble("pre", "min_scale"), learned.MinScale);
        Assert.Equal(defaults.GetDouble("pre", "max_scale"), learned.MaxScale);
        Assert.Throws<ArgumentException>(() => new CheckpointSettings([], File).Get("pre", "no_such_key"));
    }

    [Fact]
    public void A_hostile_value_is_shown_cleaned_and_cut()
    {
        var e = Assert.Throws<NucleiInputException>(() => CheckpointModels.PartitionOptionsOf(With("param.threshold", "\u001b[2J" + new string('9', 5000))));
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.True(e.Message.Length < 300, e.Message);
    }
}
