using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Describing;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.DataTools;

public sealed class DescribeTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-describe-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(new[] { 0.05f }, ImageKind.Fluorescence)]
    [InlineData(new[] { 0.05f, 0.3f, 0.05f }, ImageKind.Fluorescence)] // a dark, coloured image is still fluorescence
    [InlineData(new[] { 0.85f, 0.6f, 0.8f }, ImageKind.ColourBright)]
    [InlineData(new[] { 0.8f, 0.8f, 0.8f }, ImageKind.GreyBright)]
    [InlineData(new[] { 0.8f }, ImageKind.GreyBright)]
    public void Classifies_by_brightness_and_colour(float[] pixel, string kind) =>
        Assert.Equal(kind, ImageKind.Of(PlantedDataset.Filled(16, 16, pixel)));

    [Fact]
    public void The_sample_images_fall_into_their_kinds()
    {
        var kinds = DsbDataset.Scan(TestData.SamplesDir).Samples.Select(ImageFacts.Of).GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["fluorescence"] = 2, ["colour-bright"] = 1, ["grey-bright"] = 1 }, kinds);
    }

    [Fact]
    public void Writes_a_categorised_csv_that_training_reads_and_the_plots()
    {
        string outDir = Path.Combine(dir, "described");
        int exit = new RootCommand { DataCommand.Create() }.Parse(new[] { "data", "describe", TestData.SamplesDir, "--out", outDir }).Invoke();

        Assert.Equal(0, exit);
        var csv = DatasetCsv.Load(Path.Combine(outDir, DataDescribeCommand.CsvName));
        foreach (var sample in DsbDataset.Scan(TestData.SamplesDir).Samples)
        {
            string kind = csv.Get(sample.Id, "major_category")!;
            Assert.Contains(kind, ImageKind.All);
            Assert.StartsWith(kind + "-", csv.Get(sample.Id, "sub_category"));
            Assert.Equal("samples", csv.Get(sample.Id, "source"));
            Assert.True(int.Parse(csv.Get(sample.Id, "nuclei")!) > 0);
        }
        Assert.True(new FileInfo(Path.Combine(outDir, "nucleus-areas.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(outDir, "nuclei-per-image.png")).Length > 1000);
    }

    [Fact]
    public void Percentiles_interpolate_like_numpy() // numpy.percentile([1, 2, 3, 4], [10, 50, 90]) = 1.3, 2.5, 3.7
    {
        var v = new[] { 4, 1, 3, 2 };
        Assert.Equal(1.3, Percentile.Of(v, 0.1), 9);
        Assert.Equal(2.5, Percentile.Of(v, 0.5), 9);
        Assert.Equal(3.7, Percentile.Of(v, 0.9), 9);
    }
}
