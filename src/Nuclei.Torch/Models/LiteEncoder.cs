using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// An encoder whose full-resolution part is cheap: one convolution block of BaseWidth/2 channels at full resolution
/// (kept as the finest skip connection), then a space-to-depth step (pixel unshuffle, Shi et al. 2016) that moves
/// each 2×2 patch into channels without losing information, so the first full U-Net level already runs at half
/// resolution. On a CPU, the narrow full-resolution layers of samuelschen/DSB2018's U-Net are memory-bound and cost most of
/// the time; this keeps the same widths from half resolution down.
/// </summary>
internal sealed class LiteEncoder : FeatureEncoder
{
    private readonly ConvBlock stem;
    private readonly ModuleList<UNetLevel> levels = new();
    private readonly nn.Module<Tensor, Tensor> pool;
    private readonly nn.Module<Tensor, Tensor> bottleneck;
    private readonly int[] skipChannels;
    private readonly int bottleneckChannels;

    public LiteEncoder(ModelOptions options) : base(nameof(LiteEncoder))
    {
        int stemWidth = Math.Max(1, options.BaseWidth / 2);
        stem = new ConvBlock(options.InChannels, stemWidth, options);
        skipChannels = new int[options.Depth];
        skipChannels[0] = stemWidth;
        long inChannels = 4L * stemWidth;
        for (int l = 1; l < options.Depth; l++)
        {
            int width = options.BaseWidth << l;
            levels.Add(new UNetLevel(inChannels, width, options));
            skipChannels[l] = width;
            inChannels = width;
        }
        bottleneckChannels = options.BaseWidth << options.Depth;
        bottleneck = new UNetLevel(inChannels, bottleneckChannels, options);
        pool = nn.MaxPool2d(2);
        RegisterComponents();
    }

    public override IReadOnlyList<int> SkipChannels => skipChannels;

    public override int BottleneckChannels => bottleneckChannels;

    /// <summary>Decoder widths: the stem width at full resolution, BaseWidth·2^l below.</summary>
    public int[] DecoderWidths() => skipChannels.ToArray();

    public override Tensor?[] forward(Tensor x)
    {
        var features = new Tensor?[skipChannels.Length + 1];
        var s = stem.forward(x);
        features[0] = s;
        Tensor current = nn.functional.pixel_unshuffle(s, 2);
        for (int l = 1; l < skipChannels.Length; l++)
        {
            var skip = levels[l - 1].forward(current);
            features[l] = skip;
            current.Dispose();
            current = pool.forward(skip);
        }
        features[^1] = bottleneck.forward(current);
        current.Dispose();
        return features;
    }
}
