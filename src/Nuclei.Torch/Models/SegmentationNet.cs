using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// A network that maps a normalised image batch [N, C, H, W] to per-head LOGITS [N, Heads.Count, H, W]
/// (callers apply the sigmoid). H and W must be multiples of <see cref="SizeMultiple"/>.
/// </summary>
internal abstract class SegmentationNet : nn.Module<Tensor, Tensor>
{
    protected SegmentationNet(string modelName, IReadOnlyList<HeadKind> heads, ModelOptions options, int sizeMultiple)
        : base(modelName)
    {
        Runtime.Nnpack.TurnOff(); // before any convolution runs: no "Could not initialize NNPACK" line per layer
        ModelName = modelName;
        Heads = heads;
        Options = options;
        SizeMultiple = sizeMultiple;
    }

    /// <summary>Registry name the network was built from (what a checkpoint stores).</summary>
    public string ModelName { get; }

    /// <summary>Output channel i predicts Heads[i].</summary>
    public IReadOnlyList<HeadKind> Heads { get; }

    public ModelOptions Options { get; }

    /// <summary>Input height and width must be multiples of this (2^number of poolings).</summary>
    public int SizeMultiple { get; }

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
