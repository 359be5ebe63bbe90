using Nuclei.Core;
using Nuclei.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Nuclei.Torch.Export.OnnxGraph;

namespace Nuclei.Torch.Export;

/// <summary>
/// TorchSharp's layers as ONNX operators (https://onnx.ai/onnx/operators/, opset 17). Pads are written as ONNX wants
/// them, [begin of each spatial axis…, end of each…], from PyTorch's symmetric padding.
/// </summary>
internal static class LayerEmitters
{
    /// <summary>Conv: X, W [out, in/group, kH, kW], optional B; output size as PyTorch's for zero padding.</summary>
    public static string Conv(OnnxGraph g, Conv2d conv, string x)
    {
        var pads = ExplicitPadding(g, conv);
        string path = g.PathOf(conv);
        var inputs = new List<string> { x, g.Weight(path + ".weight", conv.weight!) };
        if (conv.bias is not null) inputs.Add(g.Weight(path + ".bias", conv.bias));
        return g.Node("Conv", conv, inputs,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("pads", [.. pads, .. pads]),
            Ints("dilations", conv.dilation), Int("group", conv.groups));
    }

    /// <summary>
    /// ConvTranspose: W is [in, out/group, kH, kW] in both frameworks; with explicit pads and output_padding, ONNX's
    /// output size stride·(in − 1) + output_padding + (k − 1)·dilation + 1 − pad_begin − pad_end is PyTorch's.
    /// </summary>
    public static string ConvTranspose(OnnxGraph g, ConvTranspose2d conv, string x)
    {
        var pads = ExplicitPadding(g, conv);
        string path = g.PathOf(conv);
        var inputs = new List<string> { x, g.Weight(path + ".weight", conv.weight!) };
        if (conv.bias is not null) inputs.Add(g.Weight(path + ".bias", conv.bias));
        return g.Node("ConvTranspose", conv, inputs,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("pads", [.. pads, .. pads]),
            Ints("dilations", conv.dilation), Ints("output_padding", conv.output_padding ?? [0, 0]), Int("group", conv.groups));
    }

    /// <summary>
    /// BatchNormalization in inference mode (opset 15: X, scale, B, input_mean, input_var), the running statistics as
    /// constants. <see cref="ConvBatchNormFolding"/> later folds those that follow a convolution into it.
    /// </summary>
    public static string BatchNorm(OnnxGraph g, BatchNorm2d bn, string x)
    {
        string path = g.PathOf(bn);
        if (BatchNormFolding.IsFolded(bn))
            throw new NucleiInputException(null, $"cannot export to ONNX: the batch norm at '{path}' is already folded into its convolution " +
                "(a network prepared for inference); export the network as loaded from its checkpoint");
        if (bn.running_mean is null || bn.running_var is null)
            throw new NucleiInputException(null, $"cannot export to ONNX: the batch norm at '{path}' keeps no running statistics");
        long c = bn.running_mean.shape[0];
        string scale = bn.weight is null ? g.Weight(path + ".weight", [c], Filled(c, 1f)) : g.Weight(path + ".weight", bn.weight);
        string bias = bn.bias is null ? g.Weight(path + ".bias", [c], Filled(c, 0f)) : g.Weight(path + ".bias", bn.bias);
        return g.Node("BatchNormalization", bn,
            [x, scale, bias, g.Weight(path + ".running_mean", bn.running_mean), g.Weight(path + ".running_var", bn.running_var)],
            Float("epsilon", (float)bn.eps));
    }

    /// <summary>MaxPool: PyTorch's padding counts as −∞, as ONNX's pads do.</summary>
    public static string MaxPool(OnnxGraph g, MaxPool2d pool, string x)
    {
        long[] pads = pool.padding ?? [0, 0];
        return g.Node("MaxPool", pool, [x],
            Ints("kernel_shape", pool.kernel_size), Ints("strides", pool.stride ?? pool.kernel_size), Ints("pads", [.. pads, .. pads]),
            Ints("dilations", pool.dilation ?? [1, 1]), Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    /// <summary>AveragePool: count_include_pad as PyTorch's (its default counts the padding, ONNX's does not).</summary>
    public static string AvgPool(OnnxGraph g, AvgPool2d pool, string x)
    {
        if (pool.divisor_override is not null)
            throw new NucleiInputException(null, $"cannot export to ONNX: the average pooling at '{g.PathOf(pool)}' has a divisor override (no ONNX equivalent)");
        long[] pads = pool.padding ?? [0, 0];
        return g.Node("AveragePool", pool, [x],
            Ints("kernel_shape", pool.kernel_size), Ints("strides", pool.stride ?? pool.kernel_size), Ints("pads", [.. pads, .. pads]),
            Int("ceil_mode", pool.ceil_mode ? 1 : 0), Int("count_include_pad", pool.count_include_pad ? 1 : 0));
    }

    /// <summary>The children in order, each fed the previous one's output.</summary>
    public static string Sequence(OnnxGraph g, Sequential sequence, string x)
    {
        foreach (var child in sequence.children()) x = OnnxEmitters.Emit(g, child, x);
        return x;
    }

    /// <summary>The per-axis padding of a zero-padded convolution; other padding modes and "same"/"valid" are refused.</summary>
    private static long[] ExplicitPadding(OnnxGraph g, Convolution conv)
    {
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NucleiInputException(null, $"cannot export to ONNX: the convolution at '{g.PathOf(conv)}' pads with {conv.padding_mode} (only zero padding is written)");
        return conv.padding ?? throw new NucleiInputException(null,
            $"cannot export to ONNX: the convolution at '{g.PathOf(conv)}' gives its padding as {conv.padding_type} (only explicit padding is written)");
    }

    private static float[] Filled(long n, float value) => Enumerable.Repeat(value, (int)n).ToArray();
}
