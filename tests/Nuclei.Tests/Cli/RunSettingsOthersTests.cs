using System.Text.Json;
using Nuclei.Core.Output;

namespace Nuclei.Tests.Cli;

/// <summary>
/// <see cref="RunRecordFile.With"/>: a settled value lands in its <see cref="RunSettings"/> property where there is one,
/// else it is still written (after the others), listed by the report's rows, and read back.
/// </summary>
public class RunSettingsOthersTests
{
    [Fact]
    public void A_value_with_a_property_fills_it_and_one_without_is_written_after_the_others()
    {
        var settings = RunRecordFile.With(new RunSettings { Threshold = 0.55f },
            [("mode", "tile"), ("tile_size", 256), ("foo", 3), ("markers", null)]);

        Assert.Equal(("tile", 256, 0.55f, null), (settings.Mode, settings.TileSize, settings.Threshold, settings.Markers));
        Assert.Equal(("foo", "3"), RunRecordFile.Rows(settings).Last());
        var read = RunRecordFile.Parse(RunRecordFile.Serialize(
            new RunRecord("r", "nuclei", "test", ["nuclei"], ".", DateTimeOffset.Now, null, [], settings)))!;
        Assert.Equal(3, read.Settings.Others!["foo"].GetInt32());
        Assert.Equal(JsonValueKind.Number, RunRecordFile.Differences(new RunSettings(), read.Settings)["foo"].ValueKind);
    }

    [Fact]
    public void Settings_without_others_have_none()
    {
        var settings = RunRecordFile.With(new RunSettings(), [("tta", true)]);
        Assert.Null(settings.Others);
        Assert.Equal(settings with { }, RunRecordFile.Parse(RunRecordFile.Serialize(
            new RunRecord("r", "nuclei", "test", ["nuclei"], ".", DateTimeOffset.Now, null, [], settings)))!.Settings);
    }
}
