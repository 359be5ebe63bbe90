using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// One 3×3 convolution block: convolution, ReLU and batch norm in the order given by
/// <see cref="ModelOptions.BlockOrder"/> (samuelschen/DSB2018's order, "CAB" = conv → activation → batch norm).
/// </summary>
internal sealed class ConvBlock : nn.Module<Tensor, Tensor>, IFoldsBatchNorm
{
    private readonly nn.Module<Tensor, Tensor> body;
    private readonly nn.Module<Tensor, Tensor>[] steps;   // body's layers, in order
    private nn.Module<Tensor, Tensor>[]? foldedSteps;     // body's layers without the BN folded into the conv

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
        steps = layers.Select(l => l.Item2).ToArray();
    }

    public override Tensor forward(Tensor x) => foldedSteps is null ? body.forward(x) : Run(foldedSteps, x);

    /// <summary>Folds the BN when it directly follows the convolution (orders CBA, ACB); after a ReLU it cannot fold.</summary>
    public int FoldBatchNorm()
    {
        if (foldedSteps is not null) return 0;
        int c = Array.FindIndex(steps, s => s is Conv2d);
        if (c + 1 >= steps.Length || steps[c + 1] is not BatchNorm2d bn) return 0;
        BatchNormFolding.FoldInto((Conv2d)steps[c], bn);
        foldedSteps = steps.Where(s => !ReferenceEquals(s, bn)).ToArray();
        return 1;
    }

    /// <summary>The layers in turn; intermediate results are released, the block's input is not.</summary>
    private static Tensor Run(nn.Module<Tensor, Tensor>[] layers, Tensor x)
    {
        var y = layers[0].forward(x);
        for (int i = 1; i < layers.Length; i++)
            y = ReferenceEquals(y, x) ? layers[i].forward(y) : Layers.ForwardAndRelease(layers[i], y);
        return ReferenceEquals(y, x) ? x.alias() : y;
    }
}
