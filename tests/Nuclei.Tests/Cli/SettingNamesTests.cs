using Nuclei.Cli;
using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Core.Settings;
using Nuclei.Tests.Safety;

namespace Nuclei.Tests.Cli;

/// <summary>
/// One bad setting, three front ends: the library names it by its own member, the command line by its flag (the
/// server by its form field: <c>ServerJobTests</c>), from the one exception that carries the setting.
/// </summary>
public class SettingNamesTests
{
    [Fact]
    public void The_library_names_a_bad_channel_by_its_member_and_carries_the_setting()
    {
        var e = Assert.Throws<NucleiInputException>(() => PlaneChoice.Parse("0", null));
        Assert.Equal("PlaneChoice.Channel numbers start at 1, got 0", e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.Equal([Setting.Channel], e.Settings);
        Assert.Equal("--channel numbers start at 1, got 0", e.MessageFor(SettingFlags.Names));
    }

    [Fact]
    public void The_command_line_names_a_bad_channel_by_its_flag()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "nuclei-unused-" + Guid.NewGuid().ToString("N"));
        var (exit, err) = KillAndDiskFullTests.RunCli(["segment", TestData.SamplesDir, "--out", outDir, "--method", "classical", "--channel", "0"]);
        Assert.Equal(2, exit);
        Assert.Contains("--channel numbers start at 1, got 0", err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_list_of_settings_is_rendered_setting_by_setting()
    {
        var e = new NucleiInputException("x.nck", $"{SettingMessage.Join(", ", [Setting.Tta, Setting.Mode])}: not used by {Setting.Method} classical, got {1.5}");
        Assert.Equal("x.nck: --tta, --mode: not used by --method classical, got 1.5", e.MessageFor(SettingFlags.Names));
        Assert.Equal("x.nck: SegmenterOptions.Tta, SegmenterOptions.Mode: not used by SegmenterOptions.Method classical, got 1.5", e.Message);
    }
}
