using Nuclei.Torch.Models;
using TorchSharp.Modules;
using static Nuclei.Torch.Export.OnnxEmitters;
using static Nuclei.Torch.Export.OnnxGraph;

namespace Nuclei.Torch.Export;

/// <summary>The encoders laid out as torchvision's (ResNet, VGG, DenseNet), written as their forward passes are.</summary>
internal static class EncoderEmitters
{
    /// <summary>
    /// Optional input scaling (255·x − mean, for ML.NET's ImageNet ResNet-18), stem, max pool, the stages; features
    /// [none, stem, layer1, layer2, layer3(, layer4)] as the module returns them.
    /// </summary>
    public static string?[] ResNet(OnnxGraph g, ResNetEncoder encoder, string x)
    {
        if (encoder.named_buffers(recurse: false).Where(b => b.name == "input_mean").Select(b => b.buffer).FirstOrDefault() is { } mean)
        {
            string path = g.PathOf(encoder);
            string scaled = g.Node("Mul", encoder, [x, g.Weight(path + ".input_scale", [1], [255f])]);
            x = g.Node("Sub", encoder, [scaled, g.Weight(path + ".input_mean", mean)]);
        }
        string stem = Emit(g, Child(encoder, "relu"), Emit(g, Child(encoder, "bn1"), Emit(g, Child(encoder, "conv1"), x)));
        var features = new List<string?> { null, stem };
        x = Emit(g, Child(encoder, "maxpool"), stem);
        foreach (var stage in new[] { "layer1", "layer2", "layer3", "layer4" })
        {
            if (OptionalChild(encoder, stage) is not { } layer) break;
            x = Emit(g, layer, x);
            features.Add(x);
        }
        return features.ToArray();
    }

    /// <summary>relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut), the shortcut a projection where the shape changes.</summary>
    public static string BasicBlock(OnnxGraph g, ResNetEncoder.BasicBlock block, string x)
    {
        string a = g.Node("Relu", block, [Emit(g, Child(block, "bn1"), Emit(g, Child(block, "conv1"), x))]);
        string b = Emit(g, Child(block, "bn2"), Emit(g, Child(block, "conv2"), a));
        string shortcut = OptionalChild(block, "downsample") is { } downsample ? Emit(g, downsample, x) : x;
        return g.Node("Relu", block, [g.Node("Add", block, [b, shortcut])]);
    }

    /// <summary>torchvision's features in turn; the input of each max pooling is a skip, the last output the bottleneck.</summary>
    public static string?[] Vgg(OnnxGraph g, VggEncoder encoder, string x)
    {
        var features = new List<string?>();
        foreach (var layer in Child(encoder, "features").children())
        {
            if (layer is MaxPool2d) features.Add(x);
            x = Emit(g, layer, x);
        }
        features.Add(x);
        return features.ToArray();
    }

    /// <summary>
    /// torchvision's densenet121().features: stem (conv0, norm0, relu0) as the 1/2 skip, pool0, the dense blocks with
    /// their outputs as skips and transitions between them, norm5 after the last one as the bottleneck.
    /// </summary>
    public static string?[] DenseNet(OnnxGraph g, DenseNetEncoder encoder, string x)
    {
        var f = Child(encoder, "features");
        string stem = Emit(g, Child(f, "relu0"), Emit(g, Child(f, "norm0"), Emit(g, Child(f, "conv0"), x)));
        var features = new List<string?> { null, stem };
        x = Emit(g, Child(f, "pool0"), stem);
        for (int b = 1; OptionalChild(f, $"denseblock{b}") is { } block; b++)
        {
            string y = Emit(g, block, x);
            if (OptionalChild(f, $"transition{b}") is { } transition)
            {
                features.Add(y);
                x = Emit(g, transition, y);
            }
            else features.Add(Emit(g, Child(f, "norm5"), y));
        }
        return features.ToArray();
    }

    /// <summary>Each layer reads the concatenation of the block's input and every earlier layer's output; the block returns all of them.</summary>
    public static string DenseBlock(OnnxGraph g, DenseNetEncoder.DenseBlock block, string x)
    {
        var all = new List<string> { x };
        foreach (var layer in block.children())
        {
            string input = all.Count == 1 ? x : g.Node("Concat", block, all.ToArray(), Int("axis", 1));
            all.Add(Emit(g, layer, input));
        }
        return g.Node("Concat", block, all, Int("axis", 1));
    }

    /// <summary>norm1 → relu1 → conv1 (1×1) → norm2 → relu2 → conv2 (3×3).</summary>
    public static string DenseLayer(OnnxGraph g, DenseNetEncoder.DenseLayer layer, string x)
    {
        foreach (var name in new[] { "norm1", "relu1", "conv1", "norm2", "relu2", "conv2" }) x = Emit(g, Child(layer, name), x);
        return x;
    }
}
