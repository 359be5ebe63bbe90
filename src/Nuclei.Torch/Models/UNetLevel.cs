using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>One U-Net level: two 3×3 convolution blocks, then 2-D dropout (samuelschen/DSB2018's building unit).</summary>
internal sealed class UNetLevel : nn.Module<Tensor, Tensor>
{
    private readonly ConvBlock block1;
    private readonly ConvBlock block2;
    private readonly nn.Module<Tensor, Tensor>? dropout;

    public UNetLevel(long inChannels, long outChannels, ModelOptions options, long dilation1 = 1, long dilation2 = 1)
        : base(nameof(UNetLevel))
    {
        block1 = new ConvBlock(inChannels, outChannels, options, dilation1);
        block2 = new ConvBlock(outChannels, outChannels, options, dilation2);
        if (options.Dropout > 0) dropout = nn.Dropout2d(options.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var a = block1.forward(x);
        var b = block2.forward(a);
        return dropout is null ? b : Layers.ForwardAndRelease(dropout, b);
    }
}
