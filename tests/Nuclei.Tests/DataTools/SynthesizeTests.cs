using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core.Data;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.DataTools;

public sealed class SynthesizeTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-synth-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Writes_count_stained_images_with_the_labels_of_their_source()
    {
        var ds = new PlantedDataset(Path.Combine(dir, "set"));
        for (int i = 0; i < 3; i++) { ds.Image($"s{i}"); ds.Box($"s{i}", "a", 2, 2 + i, 6, 6); ds.Box($"s{i}", "b", 14, 20, 8, 5 + i); }
        string outDir = Path.Combine(dir, "synthetic");
        int exit = new RootCommand { DataCommand.Create() }.Parse(new[] { "data", "synthesize", ds.Root, "--out", outDir, "--count", "5", "--seed", "3", "--kind", "he" }).Invoke();

        Assert.Equal(0, exit);
        var source = DsbDataset.Scan(ds.Root).Samples.ToDictionary(s => s.Id, s => DsbDataset.Load(s).Labels);
        var written = DsbDataset.Scan(outDir).Samples;
        Assert.Equal(5, written.Count);
        Assert.False(DsbDataset.IsDsbLayout(outDir));
        var rows = File.ReadAllLines(Path.Combine(outDir, DataSynthesizeCommand.CsvName)).Skip(1).Select(r => r.Split(',')).ToDictionary(r => r[0]);
        foreach (var sample in written)
        {
            var loaded = DsbDataset.Load(sample);
            Assert.Equal(3, loaded.Image.Channels);
            Assert.Equal(source[rows[sample.Id][1]].Data, loaded.Labels.Data);
            Assert.Equal("he", rows[sample.Id][2]);
        }
        Assert.Equal(2, written.Count(s => s.Id.EndsWith("_synth2", StringComparison.Ordinal)));   // 5 renders go round 3 images twice
    }

    [Fact]
    public void A_folder_that_is_not_there_is_one_line_and_exit_2()
    {
        string missing = Path.Combine(dir, "nope");
        var run = RunCli("data", "synthesize", missing, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, run.Exit);
        Assert.Contains("nope", run.Err);
        Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
        Assert.Equal(2, RunCli("data", "synthesize", dir, "--out", Path.Combine(dir, "out2"), "--kind", "xyz").Exit);
    }
}
