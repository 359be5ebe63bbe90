using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// Bottleneck of the dilated U-Net: a convolution block to the bottleneck width, then blocks with dilation 2, 4 and 8
/// applied one after another; the sum of all their outputs is the result (context at several scales, no extra pooling).
/// </summary>
internal sealed class DilatedCascade : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ConvBlock> blocks = new();
    private readonly nn.Module<Tensor, Tensor>? dropout;

    public DilatedCascade(long inChannels, long outChannels, ModelOptions options) : base(nameof(DilatedCascade))
    {
        blocks.Add(new ConvBlock(inChannels, outChannels, options, 1));
        foreach (long d in new long[] { 2, 4, 8 }) blocks.Add(new ConvBlock(outChannels, outChannels, options, d));
        if (options.Dropout > 0) dropout = nn.Dropout2d(options.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        Tensor current = blocks[0].forward(x);
        Tensor sum = current.clone();
        for (int i = 1; i < blocks.Count; i++)
        {
            var next = blocks[i].forward(current);
            current.Dispose();
            current = next;
            var s = sum.add(current);
            sum.Dispose();
            sum = s;
        }
        current.Dispose();
        return dropout is null ? sum : Layers.ForwardAndRelease(dropout, sum);
    }
}
