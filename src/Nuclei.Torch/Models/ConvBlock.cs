using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// One 3×3 convolution block: convolution, ReLU and batch norm in the order given by
/// <see cref="ModelOptions.BlockOrder"/> (seed: "CAB" = conv → activation → batch norm).
/// </summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> body;

    public ConvBlock(long inChannels, long outChannels, ModelOptions options, long dilation = 1)
        : base(nameof(ConvBlock))
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        bool convDone = false;
        foreach (char step in options.BlockOrder.ToUpperInvariant())
        {
            switch (step)
            {
                case 'C':
                    layers.Add(("conv", nn.Conv2d(inChannels, outChannels, 3, padding: dilation, dilation: dilation)));
                    convDone = true;
                    break;
                case 'A':
                    // In place only after another layer, never on the block's input (which the caller may still need).
                    layers.Add(("act", nn.ReLU(inplace: layers.Count > 0)));
                    break;
                case 'B':
                    // Batch norm before the convolution normalises its input channels.
                    if (options.BatchNorm) layers.Add(("bn", nn.BatchNorm2d(convDone ? outChannels : inChannels)));
                    break;
            }
        }
        body = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => body.forward(x);
}
