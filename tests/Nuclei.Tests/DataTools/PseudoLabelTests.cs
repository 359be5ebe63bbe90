using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core.Data;
using Nuclei.Core.Data.PseudoLabels;
using Nuclei.Core.Imaging;
using Nuclei.Tests.Inference;

namespace Nuclei.Tests.DataTools;

public sealed class PseudoLabelTests
{
    [Fact]
    public void Keeps_the_nuclei_whose_mean_body_probability_reaches_the_threshold()
    {
        var labels = new LabelImage(2, 4, new[] { 1, 1, 2, 2, 0, 3, 3, 0 });
        var body = new FloatImage(2, 4, 1, new[] { 0.9f, 0.7f, 0.5f, 0.6f, 0.1f, 0.95f, 0.85f, 0.2f });
        var confidence = NucleusConfidence.Of(labels, body);
        Assert.Equal(new[] { 0, 0.8, 0.55, 0.9 }, confidence.Select(c => Math.Round(c, 6)));
        var kept = NucleusConfidence.KeepConfident(labels, confidence, 0.75);
        Assert.Equal(new[] { 1, 1, 0, 0, 0, 2, 2, 0 }, kept.Data);
    }

    [Fact]
    public void Writes_a_dsb_set_of_the_kept_nuclei_that_loads_for_training()
    {
        using var t = new TestCheckpoints();
        string model = t.Save(configuration: new[] { ("post.threshold_body", "0.3") });
        t.WriteImage("a.png", SyntheticModels.RandomImage(48, 64, 3, seed: 4));
        string outDir = Path.Combine(t.Dir, "pseudo");
        int exit = new RootCommand { DataCommand.Create() }.Parse(new[] { "data", "pseudo-label", Path.Combine(t.Dir, "images"), "--out", outDir,
            "--model", model, "--confidence", "0" }).Invoke();

        Assert.Equal(0, exit);
        var row = File.ReadAllLines(Path.Combine(outDir, DataPseudoLabelCommand.CsvName))[1].Split(',');
        Assert.Equal("a", row[0]);
        Assert.Equal(row[1], row[2]); // confidence 0 keeps every nucleus found
        if (int.Parse(row[2]) > 0)
            Assert.Equal(int.Parse(row[2]), DsbDataset.Load(DsbDataset.Scan(outDir).Samples.Single()).Labels.MaxLabel());
    }
}
