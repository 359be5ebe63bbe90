using System.Text.Json;
using Nuclei.Core.Data;
using Nuclei.Tests.Core;

namespace Nuclei.Tests.Cli;

/// <summary>`segment --diameter PX` rescales every image, and -v and --json say by how much.</summary>
public sealed class SegmentScaleTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-scale-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_given_diameter_inside_the_learned_range_rescales_and_is_reported_per_image()
    {
        // nuclei of about 20 px, the bundled model's training median (19.9 px): 40 px asks for the image halved
        var sample = DsbDataset.Scan(TestData.SamplesDir).Samples.First(s => s.Id.StartsWith("55ff2b0e", StringComparison.Ordinal));
        var run = SamplesAndEvaluateTests.RunCli("segment", sample.ImagePath, "--out", Path.Combine(dir, "given"), "--diameter", "40", "--json", "-v");
        Assert.True(run.Exit == 0, run.Err);
        var image = JsonDocument.Parse(run.Out).RootElement.GetProperty("results")[0];
        Assert.Equal(40, image.GetProperty("diameter_px").GetDouble());
        Assert.InRange(image.GetProperty("scale_factor").GetDouble(), 0.49, 0.51);
        Assert.Contains($"{sample.Id}: nucleus diameter 40 px (given), scaled x0.49", run.Err);

        var native = SamplesAndEvaluateTests.RunCli("segment", sample.ImagePath, "--out", Path.Combine(dir, "native"), "--json");
        Assert.True(native.Exit == 0, native.Err);
        var asItIs = JsonDocument.Parse(native.Out).RootElement.GetProperty("results")[0];
        Assert.Equal(1.0, asItIs.GetProperty("scale_factor").GetDouble());
        Assert.False(asItIs.TryGetProperty("diameter_px", out _));
    }
}
