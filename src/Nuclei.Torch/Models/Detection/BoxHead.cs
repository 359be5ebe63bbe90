using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// The box head (torchvision's TwoMLPHead and FastRCNNPredictor; Lin et al. 2017 §4.2: two 1024-wide fully connected
/// layers on 7×7 RoIAlign features): class logits [K, classes] and class-specific box deltas [K, 4·classes].
/// </summary>
internal sealed class BoxHead : nn.Module<Tensor, (Tensor Logits, Tensor Deltas)>
{
    public const int PoolSize = 7, Representation = 1024;

    private readonly Linear fc6, fc7, cls_score, bbox_pred;

    public BoxHead(int channels, int classes) : base(nameof(BoxHead))
    {
        fc6 = nn.Linear(channels * PoolSize * PoolSize, Representation);
        fc7 = nn.Linear(Representation, Representation);
        cls_score = nn.Linear(Representation, classes);
        bbox_pred = nn.Linear(Representation, classes * 4);
        RegisterComponents();
    }

    /// <param name="pooled">RoI features [K, C, 7, 7]</param>
    public override (Tensor Logits, Tensor Deltas) forward(Tensor pooled)
    {
        using var flat = pooled.flatten(1);
        using var h6 = fc6.forward(flat).relu_();
        using var h7 = fc7.forward(h6).relu_();
        return (cls_score.forward(h7), bbox_pred.forward(h7));
    }
}
