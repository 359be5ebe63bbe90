using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Tests.PostProcessing;

/// <summary>
/// The user's layers of post-processing settings combine typed, later over earlier per key: the --config file, then
/// the section.key=value arguments, then the named options, each value keeping the layer that set it.
/// </summary>
public class SettingsLayersTests
{
    static PostProcessingKey Key(string iniKey) => PartitionOptions.Keys.Single(k => k.IniKey == iniKey);

    [Fact]
    public void A_later_layer_wins_per_key_and_each_value_keeps_its_layer()
    {
        string ini = Path.Combine(Path.GetTempPath(), $"layers-{Guid.NewGuid():N}.ini");
        File.WriteAllText(ini, "[param]\nthreshold = 0.3\nthreshold_edge = 0.2\n[post]\nmin_object_size = 15\n");
        try
        {
            var user = SettingsLayers.Read(new SegmenterOptions
            {
                Config = ini, Overrides = ["param.threshold=0.4", "post.min_object_size=20"], PostProcessing = new() { MinObjectSize = 25 },
            });
            Assert.Equal((0.2f, SettingSource.Config), ((float)user.ValueOf(Key("param.threshold_edge"))!, user.SourceOf("param.threshold_edge")));
            Assert.Equal((0.4f, SettingSource.CommandLine), ((float)user.ValueOf(Key("param.threshold"))!, user.SourceOf("param.threshold")));
            Assert.Equal(25, user.ValueOf(Key("post.min_object_size")));
            // a size given by name is applied whatever a lower layer's remove_objects says
            Assert.Equal(true, user.ValueOf(Key("post.remove_objects")));
            Assert.Equal(SettingSource.Default, user.SourceOf("post.policy"));
        }
        finally { File.Delete(ini); }
    }

    [Fact]
    public void A_named_value_out_of_range_is_the_same_error_as_one_read_from_text()
    {
        var named = Assert.Throws<NucleiInputException>(() => new PostProcessingSettings { Threshold = 1.5f }.OverDefaults());
        var text = Assert.Throws<NucleiInputException>(() => SettingsLayers.Read(new SegmenterOptions { Overrides = ["param.threshold=1.5"] }));
        Assert.Equal("settings: [param] threshold = '1.5': expected a number within 0..1", named.Message);
        Assert.Equal(named.Message, text.Message);
    }

    [Fact]
    public void An_empty_name_from_a_list_reads_as_default_ini_s_and_counts_as_set()
    {
        var user = SettingsLayers.Read(new SegmenterOptions { Overrides = ["post.policy="] });
        var below = PostProcessingLayer.Empty.With(Key("post.policy"), SplitPolicy.RandomWalker, SettingSource.Checkpoint);
        var settled = user.Over(below).Over(PostProcessingText.Defaults);
        Assert.Equal((SplitPolicy.Watershed, SettingSource.CommandLine), (settled.ToPartitionOptions().Policy, settled.SourceOf("post.policy")));
    }
}
