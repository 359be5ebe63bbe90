using Nuclei.Cli.Commands;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;

namespace Nuclei.Tests.Models;

public sealed class ModelsCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nuclei-models-cmd-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void DescribesAGoodCheckpointAndRejectsABadOne()
    {
        string path = Path.Combine(dir, "m.nck");
        using (var net = ModelRegistry.Create("caunet", new ModelOptions { BaseWidth = 4, Depth = 2 }))
            Checkpoint.Save(path, net, new CheckpointInfo { Epoch = 3, ValidationScore = 0.5, Configuration = [new("model.name", "caunet")] });
        Assert.Equal(0, ModelsCommand.Create().Parse(["--model", path]).Invoke());

        string bad = Path.Combine(dir, "bad.nck");
        File.WriteAllBytes(bad, File.ReadAllBytes(path)[..100]);
        Assert.Throws<Nuclei.Core.NucleiInputException>(() => ModelsCommand.Create().Parse(["--model", bad]).Invoke(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }

    [Fact]
    public void ListsTheRegistry() => Assert.Equal(0, ModelsCommand.Create().Parse([]).Invoke());

    [Fact]
    public void ReadInfoGivesTheDescriptionWithoutBuildingTheNet()
    {
        string path = Path.Combine(dir, "m.nck");
        using (var net = ModelRegistry.Create("camunet", new ModelOptions { BaseWidth = 4, Depth = 2 }))
            Checkpoint.Save(path, net, new CheckpointInfo { Epoch = 12, Step = 99, ValidationScore = 0.61 });
        var (version, name, options, heads, parameters, info) = Checkpoint.ReadInfo(path);
        Assert.Equal(Checkpoint.FormatVersion, version);
        Assert.Equal("camunet", name);
        Assert.Equal(4, options.BaseWidth);
        Assert.Equal(["Semantic", "Contour", "Marker"], heads);
        Assert.True(parameters > 0);
        Assert.Equal(12, info.Epoch);
        Assert.Equal(0.61, info.ValidationScore);
    }
}
