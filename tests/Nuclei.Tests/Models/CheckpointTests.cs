using System.Text;
using Nuclei.Core;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using TorchSharp;

namespace Nuclei.Tests.Models;

// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public sealed class CheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nuclei-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static SegmentationNet TinyNet(string name = "camunet") =>
        ModelRegistry.Create(name, new ModelOptions { BaseWidth = 4, Depth = 2, BlockOrder = "CBA", Dropout = 0.1 });

    private string SaveTiny(string name = "camunet", CheckpointInfo? info = null)
    {
        string path = Path.Combine(dir, name + ".nck");
        using var net = TinyNet(name);
        Checkpoint.Save(path, net, info ?? new CheckpointInfo());
        return path;
    }

    [Fact]
    public void RoundTripGivesIdenticalOutputsAndInfo()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var net = TinyNet();
        // Move batch-norm running statistics away from their initial values so buffers are checked too.
        net.train();
        for (int i = 0; i < 3; i++) net.forward(torch.rand(2, 3, 16, 16));
        net.eval();
        var x = torch.rand(1, 3, 16, 16);
        torch.Tensor expected;
        using (torch.no_grad()) expected = net.forward(x);

        var info = new CheckpointInfo
        {
            Configuration = [new("train.loss", "iou+focal"), new("train.learning_rate", "1e-4")],
            Epoch = 7, Step = 1234, ValidationScore = 0.4567,
            OptimizerState = [1, 2, 3, 4, 5], RandomState = Encoding.UTF8.GetBytes("rng"),
        };
        string path = Path.Combine(dir, "model.nck");
        Checkpoint.Save(path, net, info);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*")); // no temporary left behind

        var loaded = Checkpoint.Load(path);
        using var net2 = loaded.Net;
        Assert.Equal("camunet", loaded.ModelName);
        Assert.Equal(net.Options, loaded.Options);
        Assert.Equal(new[] { HeadKind.Semantic, HeadKind.Contour, HeadKind.Marker }, net2.Heads);
        Assert.Equal(7, loaded.Info.Epoch);
        Assert.Equal(1234, loaded.Info.Step);
        Assert.Equal(0.4567, loaded.Info.ValidationScore);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, loaded.Info.OptimizerState);
        Assert.Equal("rng", Encoding.UTF8.GetString(loaded.Info.RandomState!));
        Assert.Equal("iou+focal", loaded.Info.Configuration.Single(kv => kv.Key == "train.loss").Value);
        torch.Tensor actual;
        using (torch.no_grad()) actual = net2.forward(x);
        Assert.True(actual.allclose(expected, 0, 0), "outputs after the round trip must be bit-identical");
    }

    [Fact]
    public void TruncatedCheckpointIsAClearError()
    {
        string path = SaveTiny();
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int keep in new[] { 0, 5, 12, 40, bytes.Length / 2, bytes.Length - 1 })
        {
            string cut = Path.Combine(dir, $"cut{keep}.nck");
            File.WriteAllBytes(cut, bytes[..keep]);
            var e = Assert.Throws<NucleiInputException>(() => Checkpoint.Load(cut));
            Assert.Contains(cut, e.Message);
        }
    }

    [Fact]
    public void OtherFormatVersionIsAClearError()
    {
        string path = SaveTiny();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[8] = 99; // the int32 version follows the 8-byte magic
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<NucleiInputException>(() => Checkpoint.Load(path));
        Assert.Contains("format version 99", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void UnknownModelNameIsAClearError()
    {
        string path = SaveTiny("unet");
        // As a version-1 file (no file digest), so that only the name is wrong.
        File.WriteAllBytes(path, CheckpointFormatTests.AsVersion1(File.ReadAllBytes(path),
            m => m.Replace("\"ModelName\": \"unet\"", "\"ModelName\": \"xnet\"")));
        var e = Assert.Throws<NucleiInputException>(() => Checkpoint.Load(path));
        Assert.Contains("unknown model 'xnet'", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void CorruptedWeightsAndForeignFilesAreClearErrors()
    {
        string path = SaveTiny();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF; // the weights take up most of the file
        File.WriteAllBytes(path, bytes);
        Assert.Throws<NucleiInputException>(() => Checkpoint.Load(path));

        string foreign = Path.Combine(dir, "image.png");
        File.WriteAllBytes(foreign, [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Contains("not a Nuclei checkpoint", Assert.Throws<NucleiInputException>(() => Checkpoint.Load(foreign)).Message);
        Assert.Throws<NucleiInputException>(() => Checkpoint.Load(Path.Combine(dir, "missing.nck")));
    }
}
