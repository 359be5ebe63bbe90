using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// The RPN head shared by every pyramid level (Ren et al. 2015, "Faster R-CNN" §3.1; torchvision's RPNHead): a 3×3
/// convolution and ReLU, then per anchor one objectness logit and four box deltas (1×1 convolutions), initialised
/// N(0, 0.01) as torchvision does.
/// </summary>
internal sealed class RpnHead : nn.Module<Tensor, (Tensor Objectness, Tensor Deltas)>
{
    private readonly Conv2d conv, cls_logits, bbox_pred;

    public RpnHead(int channels, int anchorsPerLocation) : base(nameof(RpnHead))
    {
        conv = nn.Conv2d(channels, channels, 3, padding: 1);
        cls_logits = nn.Conv2d(channels, anchorsPerLocation, 1);
        bbox_pred = nn.Conv2d(channels, anchorsPerLocation * 4, 1);
        foreach (var c in new[] { conv, cls_logits, bbox_pred })
        {
            nn.init.normal_(c.weight, std: 0.01);
            nn.init.zeros_(c.bias);
        }
        RegisterComponents();
    }

    /// <summary>One level: objectness [N, A, H, W] and deltas [N, 4A, H, W].</summary>
    public override (Tensor Objectness, Tensor Deltas) forward(Tensor level)
    {
        using var hidden = conv.forward(level).relu_();
        return (cls_logits.forward(hidden), bbox_pred.forward(hidden));
    }

    /// <summary>
    /// A level's outputs [N, A·C, H, W] as [N, H·W·A, C]: location-major, then anchor, the order of
    /// <see cref="AnchorGenerator.ForLevel"/> (torchvision's permute_and_flatten).
    /// </summary>
    public static Tensor Flatten(Tensor output, int valuesPerAnchor)
    {
        long n = output.shape[0], h = output.shape[2], w = output.shape[3];
        long anchors = output.shape[1] / valuesPerAnchor;
        using var split = output.view(n, anchors, valuesPerAnchor, h, w);
        using var permuted = split.permute(0, 3, 4, 1, 2);
        return permuted.reshape(n, -1, valuesPerAnchor);
    }
}
