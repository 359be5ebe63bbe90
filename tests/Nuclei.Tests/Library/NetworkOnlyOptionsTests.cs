namespace Nuclei.Tests.Library;

/// <summary>
/// <see cref="SegmenterOptions.NetworkOnly"/> is the one list the classical refusal and run.json's sources read: each line
/// must name a real library property (run.json finds a recorded option by that name) and be unset by default.
/// </summary>
public class NetworkOnlyOptionsTests
{
    [Fact]
    public void Each_network_only_option_names_a_library_property_and_is_unset_by_default()
    {
        foreach (var (setting, isSet) in SegmenterOptions.NetworkOnly)
        {
            string[] parts = setting.Property.Split('.');
            var type = parts[0] switch
            {
                nameof(SegmenterOptions) => typeof(SegmenterOptions),
                nameof(PostProcessingSettings) => typeof(PostProcessingSettings),
                _ => null,
            };
            Assert.True(parts.Length == 2 && type?.GetProperty(parts[1]) is not null, $"{setting.Name}: {setting.Property}");
            Assert.False(isSet(new SegmenterOptions()), setting.Name);
        }
    }
}
