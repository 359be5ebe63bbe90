using Google.Protobuf;
using Nuclei.Core;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// The ImageNet-trained ResNet-18 that ML.NET ships as ONNX (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18, MIT;
/// a CNTK export): 7×7/2 conv → 3×3/2 max-pool → basic-block stages of 2, 2, 2, 3 blocks at 64/128/256/512 channels,
/// 1×1 stride-2 projection shortcuts, conv → batch norm → ReLU. Its input is BGR 0..255 minus a mean image
/// (ResNetPreprocess.onnx), whose per-channel means are <see cref="InputMeanRgb"/>.
/// <para>
/// The export pads asymmetrically ("same": 3/2 for the 7×7 stem, 1/0 for the 3×3 stride-2 convolutions and the pool).
/// For even input sizes that is exactly torchvision's symmetric padding (the extra bottom/right row is never read),
/// and the U-Nets only ever see multiples of 16, so <see cref="ResNetEncoder"/> is reused as it is.
/// </para>
/// The ONNX file is a build-time source of initial weights only: a trained checkpoint carries its own weights.
/// </summary>
internal static class MlNetResNet18
{
    public static readonly int[] Blocks = [2, 2, 2, 3];

    /// <summary>Per-channel mean of ResNetPreprocess.onnx's mean image, in R, G, B order.</summary>
    public static readonly float[] InputMeanRgb = [123.1516f, 115.9029f, 103.0626f];

    /// <summary>Where the package's build props copy the model (next to the program).</summary>
    public static string DefaultOnnxPath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The encoder (stages 3: layer1..layer3, the U-Net encoder; 4: the whole network, to check the port).</summary>
    public static ResNetEncoder CreateEncoder(int inChannels = 3, int stages = 3) =>
        new("MlNetResNet18Encoder", Blocks, inChannels, stages, inChannels == 3 ? InputMeanRgb : null);

    /// <summary>Copies the ImageNet weights into <paramref name="encoder"/>; returns how many tensors were set.</summary>
    public static int LoadImageNetWeights(ResNetEncoder encoder, string? onnxPath = null)
    {
        onnxPath ??= DefaultOnnxPath;
        if (!File.Exists(onnxPath))
            throw new NucleiInputException(onnxPath, "ImageNet ResNet-18 weights not found (they come with the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 at build time)");
        var sources = ReadTensors(onnxPath);
        var state = encoder.state_dict();
        int count = 0;
        using var noGrad = no_grad();
        foreach (var (name, target) in state)
        {
            if (name.EndsWith("num_batches_tracked") || name == "input_mean") continue;
            if (!sources.TryGetValue(name, out var src))
                throw new NucleiInputException(onnxPath, $"no tensor for the encoder's '{name}' (not ML.NET's ResNet-18 layout?)");
            if (!src.Shape.SequenceEqual(target.shape))
                throw new NucleiInputException(onnxPath, $"'{name}' has shape [{string.Join(",", src.Shape)}], the encoder [{string.Join(",", target.shape)}]");
            using var value = torch.tensor(src.Values, src.Shape);
            // The stem takes RGB here, BGR in the export: reverse conv1's input channels.
            using var ordered = name == "conv1.weight" && src.Shape[1] == 3 ? value.flip(1) : value.alias();
            target.copy_(ordered);
            count++;
        }
        return count;
    }

    private sealed record NamedTensor(long[] Shape, float[] Values);

    /// <summary>The export's initializers under torchvision's parameter names, found from the graph's structure.</summary>
    private static Dictionary<string, NamedTensor> ReadTensors(string path)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFromFile(path); }
        catch (InvalidProtocolBufferException e) { throw new NucleiInputException(path, "not a valid ONNX file: " + e.Message, e); }
        var graph = model.Graph;
        var inits = graph.Initializer.ToDictionary(t => t.Name);
        var bnByInput = graph.Node.Where(n => n.OpType == "BatchNormalization").ToDictionary(n => n.Input[0]);
        var convs = graph.Node.Where(n => n.OpType == "Conv").ToList();
        var main = convs.Where(c => KernelSize(inits[c.Input[1]]) != 1).ToList();
        var projections = convs.Where(c => KernelSize(inits[c.Input[1]]) == 1).ToList();

        var names = MainConvNames().ToList();
        var projectionNames = new[] { "layer2.0.downsample", "layer3.0.downsample", "layer4.0.downsample" };
        if (main.Count != names.Count || projections.Count != projectionNames.Length)
            throw new NucleiInputException(path, $"{main.Count} + {projections.Count} convolutions, expected {names.Count} + {projectionNames.Length} (ResNet-18 with 2, 2, 2, 3 blocks)");

        var result = new Dictionary<string, NamedTensor>();
        void Add(NodeProto conv, string convName, string bnName)
        {
            result[convName + ".weight"] = ToTensor(inits[conv.Input[1]]);
            if (!bnByInput.TryGetValue(conv.Output[0], out var bn))
                throw new NucleiInputException(path, $"convolution {conv.Name} is not followed by batch normalisation");
            result[bnName + ".weight"] = ToTensor(inits[bn.Input[1]]);
            result[bnName + ".bias"] = ToTensor(inits[bn.Input[2]]);
            result[bnName + ".running_mean"] = ToTensor(inits[bn.Input[3]]);
            result[bnName + ".running_var"] = ToTensor(inits[bn.Input[4]]);
        }
        for (int i = 0; i < main.Count; i++)
        {
            string conv = names[i];
            Add(main[i], conv, conv == "conv1" ? "bn1" : conv[..^"conv1".Length] + "bn" + conv[^1]);
        }
        for (int i = 0; i < projections.Count; i++) Add(projections[i], projectionNames[i] + ".0", projectionNames[i] + ".1");
        return result;
    }

    /// <summary>The 3×3 (and stem 7×7) convolutions in graph order: conv1, layer1.0.conv1, layer1.0.conv2, layer1.1.conv1, …</summary>
    private static IEnumerable<string> MainConvNames()
    {
        yield return "conv1";
        for (int stage = 0; stage < Blocks.Length; stage++)
            for (int b = 0; b < Blocks[stage]; b++)
            {
                yield return $"layer{stage + 1}.{b}.conv1";
                yield return $"layer{stage + 1}.{b}.conv2";
            }
    }

    private static long KernelSize(TensorProto weight) => weight.Dims.Count == 4 ? weight.Dims[3] : -1;

    private static NamedTensor ToTensor(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"initializer {t.Name} is not float32");
        float[] values = t.FloatData.Count > 0
            ? t.FloatData.ToArray()
            : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
        return new NamedTensor(t.Dims.ToArray(), values);
    }
}
