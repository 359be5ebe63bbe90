using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.Server;

/// <summary>`nuclei serve --diameter` is parsed as `segment --diameter`: a bad value stops the command (exit 2) naming the option.</summary>
public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("-3")]
    [InlineData("big")]
    public void A_bad_diameter_exits_2_naming_the_option(string value)
    {
        var run = RunCli("serve", "--port", "0", "--diameter", value);
        Assert.True(run.Exit == 2, $"exit {run.Exit}\nstdout: {run.Out}\nstderr: {run.Err}");
        Assert.Contains($"--diameter must be 'auto' or a positive number of pixels, got '{value}'", run.Err);
    }
}
