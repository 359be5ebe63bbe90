using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// VGG-16 encoder (Simonyan &amp; Zisserman 2015) laid out as torchvision's vgg16().features (indices 0..29, so
/// "features.0.weight" … "features.28.bias" load from an exported torchvision file). Skips before each pooling:
/// 64 ch at full resolution, 128 at 1/2, 256 at 1/4, 512 at 1/8; the bottleneck is the conv5 block at 1/16 (512),
/// as in TernausNet (Iglovikov &amp; Shvets 2018).
/// </summary>
internal sealed class VggEncoder : FeatureEncoder
{
    private static readonly object[] Config = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512];

    private readonly Sequential features;
    private readonly int[] skipAfter; // indices whose output is a skip (the ReLU before each pooling)

    public VggEncoder(int inChannels = 3) : base("Vgg16Encoder")
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var skips = new List<int>();
        int c = inChannels;
        foreach (var item in Config)
        {
            if (item is string)
            {
                skips.Add(layers.Count - 1);
                layers.Add(($"{layers.Count}", nn.MaxPool2d(2)));
                continue;
            }
            int w = (int)item;
            layers.Add(($"{layers.Count}", nn.Conv2d(c, w, 3, padding: 1)));
            layers.Add(($"{layers.Count}", nn.ReLU(inplace: true)));
            c = w;
        }
        skipAfter = skips.ToArray();
        features = nn.Sequential(layers);
        RegisterComponents();
    }

    public override IReadOnlyList<int> SkipChannels { get; } = [64, 128, 256, 512];

    public override int BottleneckChannels => 512;

    public override Tensor?[] forward(Tensor x)
    {
        var result = new Tensor?[SkipChannels.Count + 1];
        int next = 0, i = 0;
        Tensor current = x;
        foreach (var module in features.children())
        {
            var layer = (nn.Module<Tensor, Tensor>)module;
            var y = layer.forward(current);
            // Skips are separate handles (alias), so the previous handle can go unless it is the caller's input.
            if (!ReferenceEquals(current, x) && !ReferenceEquals(y, current)) current.Dispose();
            current = y;
            if (next < skipAfter.Length && i == skipAfter[next]) result[next++] = current.alias();
            i++;
        }
        result[^1] = current;
        return result;
    }
}
