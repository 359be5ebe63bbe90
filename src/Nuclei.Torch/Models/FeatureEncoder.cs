using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// The contracting half of a U-Net. <c>forward</c> returns Levels + 1 maps: map i (i &lt; Levels) is the skip
/// connection at scale 1/2^i (null when the encoder has none at that scale, e.g. ResNet at full resolution),
/// and the last map is the bottleneck at scale 1/2^Levels.
/// </summary>
internal abstract class FeatureEncoder : nn.Module<Tensor, Tensor?[]>
{
    protected FeatureEncoder(string name) : base(name) { }

    /// <summary>Channels of each skip map (0 where there is none); its length is the number of levels.</summary>
    public abstract IReadOnlyList<int> SkipChannels { get; }

    public abstract int BottleneckChannels { get; }

    public int Levels => SkipChannels.Count;

    /// <summary>Input sizes must be multiples of this.</summary>
    public int SizeMultiple => 1 << Levels;
}
