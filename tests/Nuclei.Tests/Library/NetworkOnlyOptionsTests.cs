using Nuclei.Core.Output;

namespace Nuclei.Tests.Library;

/// <summary>
/// <see cref="SegmenterOptions.NetworkOnly"/> is the one list the classical refusal, run.json's settled values and their
/// sources read: each line must name a real library property (error messages name it), be unset by default, and, where
/// run.json records it, do so under that property's name as run.json writes names (TileSize: tile_size).
/// </summary>
public class NetworkOnlyOptionsTests
{
    [Fact]
    public void Each_network_only_option_names_a_library_property_and_is_unset_by_default()
    {
        foreach (var option in SegmenterOptions.NetworkOnly)
        {
            string[] parts = option.Setting.Property.Split('.');
            var type = parts[0] switch
            {
                nameof(SegmenterOptions) => typeof(SegmenterOptions),
                nameof(PostProcessingSettings) => typeof(PostProcessingSettings),
                _ => null,
            };
            Assert.True(parts.Length == 2 && type?.GetProperty(parts[1]) is not null, $"{option.Setting.Name}: {option.Setting.Property}");
            Assert.False(option.IsSet(new SegmenterOptions()), option.Setting.Name);
        }
    }

    [Fact]
    public void Each_recorded_option_has_its_property_name_and_a_settled_value()
    {
        foreach (var option in SegmenterOptions.NetworkOnly.Where(o => o.RunName is not null || o.Settled is not null))
        {
            Assert.NotNull(option.Settled);
            Assert.Equal(RunRecordFile.SettingName(option.Setting.Property.Split('.')[1]), option.RunName);
        }
    }

    [Fact]
    public void The_classical_method_takes_a_minimum_size_and_still_refuses_what_it_does_not_read()
    {
        // a size given implies remove_objects = True; that must not read as an option the classical method refuses
        using (var classical = NucleiSegmenter.Load(new SegmenterOptions { Method = SegmentationMethod.Classical, PostProcessing = new() { MinObjectSize = 7 } }))
            Assert.Equal(7, classical.Settings.MinObjectSize);
        var e = Assert.Throws<Nuclei.Core.NucleiInputException>(() => NucleiSegmenter.Load(new SegmenterOptions
        {
            Method = SegmentationMethod.Classical, PostProcessing = new() { MinObjectSize = 7 }, Overrides = ["param.threshold=0.4"],
        }));
        Assert.Contains("param.threshold: not used by", e.Message);
    }
}
