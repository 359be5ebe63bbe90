using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Feature Pyramid Network (Lin et al. 2017, "Feature Pyramid Networks for Object Detection" §3; torchvision's
/// FeaturePyramidNetwork with LastLevelMaxPool): a 1×1 lateral convolution per encoder stage, a top-down pathway adding
/// each coarser level upsampled ×2 (nearest), a 3×3 convolution per merged map, and one extra level below the coarsest
/// (a stride-2 subsampling of it) for the largest anchors. Every output has <see cref="Channels"/> channels.
/// </summary>
internal sealed class FeaturePyramid : nn.Module<Tensor[], Tensor[]>
{
    private readonly ModuleList<Conv2d> inner_blocks = new();
    private readonly ModuleList<Conv2d> layer_blocks = new();

    /// <param name="inputChannels">channels of the encoder stages used, finest first</param>
    public FeaturePyramid(IReadOnlyList<int> inputChannels, int channels) : base(nameof(FeaturePyramid))
    {
        Channels = channels;
        foreach (int c in inputChannels)
        {
            inner_blocks.Add(nn.Conv2d(c, channels, 1));
            layer_blocks.Add(nn.Conv2d(channels, channels, 3, padding: 1));
        }
        foreach (var conv in inner_blocks.Concat(layer_blocks))
        {
            nn.init.kaiming_uniform_(conv.weight, a: 1);   // torchvision's FPN initialisation
            nn.init.zeros_(conv.bias);
        }
        RegisterComponents();
    }

    public int Channels { get; }

    /// <summary>The pyramid of the encoder stages (finest first): one map per stage plus the extra coarsest level.</summary>
    public override Tensor[] forward(Tensor[] stages)
    {
        int levels = stages.Length;
        var outputs = new Tensor[levels + 1];
        Tensor? topDown = null;
        for (int i = levels - 1; i >= 0; i--)
        {
            using var lateral = inner_blocks[i].forward(stages[i]);
            var merged = topDown is null ? lateral.alias() : AddUpsampled(lateral, topDown);
            topDown?.Dispose();
            topDown = merged;
            outputs[i] = layer_blocks[i].forward(merged);
        }
        topDown?.Dispose();
        outputs[levels] = F.max_pool2d(outputs[levels - 1], 1, stride: 2);
        return outputs;
    }

    private static Tensor AddUpsampled(Tensor lateral, Tensor coarser)
    {
        using var up = F.interpolate(coarser, [lateral.shape[2], lateral.shape[3]], mode: InterpolationMode.Nearest);
        return lateral + up;
    }
}
