using Nuclei.Core.Imaging;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using TorchSharp;

namespace Nuclei.Tests.Inference;

/// <summary>Tiny real checkpoints (random weights) and images written to a temporary folder.</summary>
internal sealed class TestCheckpoints : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "nuclei-infer-" + Guid.NewGuid().ToString("N"));

    public TestCheckpoints() => Directory.CreateDirectory(Dir);

    /// <summary>A checkpoint of <paramref name="model"/> with a narrow, shallow network and the given configuration.</summary>
    public string Save(string model = "camunet", int seed = 1, string fileName = "model.nck", params (string Key, string Value)[] configuration)
    {
        torch.manual_seed(seed);
        using var net = ModelRegistry.Create(model, new ModelOptions { BaseWidth = 4, Depth = 2 });
        string path = Path.Combine(Dir, fileName);
        Checkpoint.Save(path, net, new CheckpointInfo
        {
            Configuration = configuration.Select(c => new KeyValuePair<string, string>(c.Key, c.Value)).ToArray(),
        });
        return path;
    }

    public string WriteImage(string name, FloatImage image)
    {
        string folder = Path.Combine(Dir, "images");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        ImageIO.WriteImage8(path, image);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
