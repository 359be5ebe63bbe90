using Nuclei.Core;
using Nuclei.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Export;

/// <summary>
/// Writes a module's forward pass into an <see cref="OnnxGraph"/>: takes the names of its input values (null for an
/// absent one, e.g. a ResNet's missing full-resolution skip) and returns the names of its outputs.
/// </summary>
internal delegate string?[] ModuleEmitter(OnnxGraph graph, nn.Module module, string?[] inputs);

/// <summary>
/// The one registration point of the ONNX export: each module type the zoo uses, with the code that writes it.
/// A module of any other type stops the export with its type named; nothing falls back to a guess, since a layer
/// written wrongly would give a model that runs and predicts wrong.
/// </summary>
internal static class OnnxEmitters
{
    private static readonly Dictionary<Type, ModuleEmitter> ByType = new()
    {
        // TorchSharp layers
        [typeof(Conv2d)] = One<Conv2d>(LayerEmitters.Conv),
        [typeof(ConvTranspose2d)] = One<ConvTranspose2d>(LayerEmitters.ConvTranspose),
        [typeof(BatchNorm2d)] = One<BatchNorm2d>(LayerEmitters.BatchNorm),
        [typeof(ReLU)] = One<ReLU>((g, m, x) => g.Node("Relu", m, [x])),
        [typeof(MaxPool2d)] = One<MaxPool2d>(LayerEmitters.MaxPool),
        [typeof(AvgPool2d)] = One<AvgPool2d>(LayerEmitters.AvgPool),
        [typeof(Dropout2d)] = One<Dropout2d>((_, _, x) => x),   // the identity at inference
        [typeof(Sequential)] = One<Sequential>(LayerEmitters.Sequence),
        // U-Net parts
        [typeof(ConvBlock)] = One<ConvBlock>((g, m, x) => Emit(g, OnnxGraph.Child(m, "body"), x)),
        [typeof(UNetLevel)] = One<UNetLevel>(UNetEmitters.Level),
        [typeof(DilatedCascade)] = One<DilatedCascade>(UNetEmitters.Cascade),
        [typeof(PlainEncoder)] = Many<PlainEncoder>(UNetEmitters.PlainEncoder),
        [typeof(LiteEncoder)] = Many<LiteEncoder>(UNetEmitters.LiteEncoder),
        [typeof(UNetDecoder)] = (g, m, inputs) => [UNetEmitters.Decoder(g, (UNetDecoder)m, inputs)],
        [typeof(MultiHeadUNet)] = One<MultiHeadUNet>(UNetEmitters.MultiHead),
        [typeof(Dcan)] = One<Dcan>(UNetEmitters.Dcan),
        // encoders after torchvision's
        [typeof(ResNetEncoder)] = Many<ResNetEncoder>(EncoderEmitters.ResNet),
        [typeof(ResNetEncoder.BasicBlock)] = One<ResNetEncoder.BasicBlock>(EncoderEmitters.BasicBlock),
        [typeof(VggEncoder)] = Many<VggEncoder>(EncoderEmitters.Vgg),
        [typeof(DenseNetEncoder)] = Many<DenseNetEncoder>(EncoderEmitters.DenseNet),
        [typeof(DenseNetEncoder.DenseBlock)] = One<DenseNetEncoder.DenseBlock>(EncoderEmitters.DenseBlock),
        [typeof(DenseNetEncoder.DenseLayer)] = One<DenseNetEncoder.DenseLayer>(EncoderEmitters.DenseLayer),
    };

    /// <summary>Writes <paramref name="module"/>; refuses (naming its type and place) a type without an emitter.</summary>
    public static string?[] EmitMany(OnnxGraph graph, nn.Module module, params string?[] inputs)
    {
        if (!ByType.TryGetValue(module.GetType(), out var emit))
            throw new NucleiInputException(null,
                $"cannot export to ONNX: module type {module.GetType().FullName} (at '{graph.PathOf(module)}') has no ONNX emitter");
        return emit(graph, module, inputs);
    }

    /// <summary>Writes a module of one input and one output.</summary>
    public static string Emit(OnnxGraph graph, nn.Module module, string input) =>
        EmitMany(graph, module, input)[0] ?? throw new InvalidOperationException($"{module.GetType().Name} wrote no output");

    private static ModuleEmitter One<T>(Func<OnnxGraph, T, string, string> emit) where T : nn.Module =>
        (g, m, inputs) => [emit(g, (T)m, inputs[0] ?? throw new InvalidOperationException($"{typeof(T).Name} needs an input"))];

    private static ModuleEmitter Many<T>(Func<OnnxGraph, T, string, string?[]> emit) where T : nn.Module =>
        (g, m, inputs) => emit(g, (T)m, inputs[0] ?? throw new InvalidOperationException($"{typeof(T).Name} needs an input"));
}
