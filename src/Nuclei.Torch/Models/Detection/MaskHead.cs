using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// The mask head of Mask R-CNN with FPN (He et al. 2017, figure 4 right; torchvision's MaskRCNNHeads and
/// MaskRCNNPredictor): four 3×3 convolutions with ReLU on 14×14 RoIAlign features, a 2×2 stride-2 transposed convolution
/// to 28×28 with ReLU, and a 1×1 convolution to one mask logit map per class; Kaiming-normal (fan-out) initialisation.
/// </summary>
internal sealed class MaskHead : nn.Module<Tensor, Tensor>
{
    public const int PoolSize = 14, MaskSize = 28;

    private readonly ModuleList<Conv2d> mask_fcn = new();
    private readonly ConvTranspose2d conv5_mask;
    private readonly Conv2d mask_fcn_logits;

    public MaskHead(int channels, int width, int classes) : base(nameof(MaskHead))
    {
        for (int i = 0; i < 4; i++) mask_fcn.Add(nn.Conv2d(i == 0 ? channels : width, width, 3, padding: 1));
        conv5_mask = nn.ConvTranspose2d(width, width, 2, stride: 2);
        mask_fcn_logits = nn.Conv2d(width, classes, 1);
        foreach (var weight in mask_fcn.Select(c => c.weight).Append(conv5_mask.weight).Append(mask_fcn_logits.weight))
            nn.init.kaiming_normal_(weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        foreach (var bias in mask_fcn.Select(c => c.bias).Append(conv5_mask.bias).Append(mask_fcn_logits.bias))
            nn.init.zeros_(bias!);
        RegisterComponents();
    }

    /// <param name="pooled">RoI features [K, C, 14, 14]</param>
    /// <returns>mask logits [K, classes, 28, 28]</returns>
    public override Tensor forward(Tensor pooled)
    {
        var x = pooled.alias();
        foreach (var conv in mask_fcn) x = Layers.ForwardAndRelease(conv, x).relu_();
        x = Layers.ForwardAndRelease(conv5_mask, x).relu_();
        return Layers.ForwardAndRelease(mask_fcn_logits, x);
    }
}
