using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Tests.DataTools;

public sealed class ConvertTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-convert-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    int Convert(params string[] args) => new RootCommand { DataCommand.Create() }.Parse(new[] { "data", "convert" }.Concat(args).ToArray()).Invoke();

    [Fact]
    public void Round_trip_through_every_format_gives_the_same_nuclei()
    {
        string P(string name) => Path.Combine(dir, name);
        Assert.Equal(0, Convert(TestData.SamplesDir, "--from", "dsb", "--to", "labels", "--out", P("labels")));
        Assert.Equal(0, Convert(P("labels"), "--from", "labels", "--to", "rle", "--out", P("runs.csv")));
        Assert.Equal(0, Convert(P("runs.csv"), "--from", "rle", "--images", P("labels"), "--to", "cellpose", "--out", P("cellpose")));
        Assert.Equal(0, Convert(P("cellpose"), "--from", "cellpose", "--to", "stardist", "--out", P("stardist")));
        Assert.Equal(0, Convert(P("stardist"), "--from", "stardist", "--to", "dsb", "--out", P("dsb")));

        var original = DsbDataset.Scan(TestData.SamplesDir).Samples.Select(DsbDataset.Load).ToList();
        var back = DsbDataset.Scan(P("dsb")).Samples.Select(DsbDataset.Load).ToList();
        Assert.Equal(original.Select(s => s.Id), back.Select(s => s.Id));
        for (int i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i].Image.Data, back[i].Image.Data); // images kept exactly
            Assert.Equal(original[i].Labels.MaxLabel(), back[i].Labels.MaxLabel());
            Assert.Equal(original[i].Labels.Data.Select(v => v > 0), back[i].Labels.Data.Select(v => v > 0));
        }
        // and as `nuclei evaluate` sees it: the round-tripped set's label maps against the original masks
        Assert.Equal(0, Convert(P("dsb"), "--from", "dsb", "--to", "stardist", "--out", P("maps")));
        Assert.Equal(1.0, Evaluation.Run(TestData.SamplesDir, Path.Combine(P("maps"), "masks")).Dataset.MeanAp, 6);
    }

    [Fact]
    public void An_image_without_its_label_map_is_a_listed_failure_and_the_rest_is_converted()
    {
        string cellpose = Path.Combine(dir, "cp");
        Directory.CreateDirectory(cellpose);
        var labels = new LabelImage(8, 8);
        labels[2, 2] = 1; labels[2, 3] = 1; labels[5, 5] = 2;
        ImageIO.WriteImage8(Path.Combine(cellpose, "a.png"), PlantedDataset.Filled(8, 8, 0.1f));
        ImageIO.WriteLabels(Path.Combine(cellpose, "a_masks.png"), labels);
        ImageIO.WriteImage8(Path.Combine(cellpose, "b.png"), PlantedDataset.Filled(8, 8, 0.1f)); // no b_masks.png

        Assert.Equal(1, Convert(cellpose, "--from", "cellpose", "--to", "labels", "--out", Path.Combine(dir, "out")));
        Assert.Equal(labels.Data, ImageIO.ReadLabels(Path.Combine(dir, "out", "a.labels.png")).Data);
        Assert.False(File.Exists(Path.Combine(dir, "out", "b.png")));
    }

    [Fact]
    public void An_unknown_format_is_a_usage_error()
    {
        Assert.Throws<Nuclei.Core.NucleiInputException>(() => new RootCommand { DataCommand.Create() }
            .Parse(new[] { "data", "convert", dir, "--from", "coco", "--to", "dsb", "--out", Path.Combine(dir, "x") })
            .Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }
}
