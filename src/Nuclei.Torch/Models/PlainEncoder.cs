using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// samuelschen/DSB2018's encoder: Depth levels of two 3×3 convolution blocks (widths BaseWidth·2^l), each followed by 2×2 max
/// pooling, and a bottleneck level of width BaseWidth·2^Depth. With <c>dilated</c>, the deepest levels use dilated
/// convolutions and the bottleneck is a cascade of dilated convolutions whose outputs are summed (the "dilated U-Net"
/// bottleneck of the Kaggle Carvana solutions; Yu &amp; Koltun 2016, "Multi-scale context aggregation by dilated convolutions").
/// </summary>
internal sealed class PlainEncoder : FeatureEncoder
{
    private readonly ModuleList<UNetLevel> levels = new();
    private readonly nn.Module<Tensor, Tensor> pool;
    private readonly nn.Module<Tensor, Tensor> bottleneck;
    private readonly int[] skipChannels;
    private readonly int bottleneckChannels;

    public PlainEncoder(ModelOptions options, bool dilated = false) : base(nameof(PlainEncoder))
    {
        skipChannels = new int[options.Depth];
        long inChannels = options.InChannels;
        for (int l = 0; l < options.Depth; l++)
        {
            int width = options.BaseWidth << l;
            // Dilate the second convolution of the two deepest levels: a wider view where maps are coarse.
            long dilation2 = dilated && l >= options.Depth - 2 ? 2 : 1;
            levels.Add(new UNetLevel(inChannels, width, options, 1, dilation2));
            skipChannels[l] = width;
            inChannels = width;
        }
        bottleneckChannels = options.BaseWidth << options.Depth;
        bottleneck = dilated
            ? new DilatedCascade(inChannels, bottleneckChannels, options)
            : new UNetLevel(inChannels, bottleneckChannels, options);
        pool = nn.MaxPool2d(2);
        RegisterComponents();
    }

    public override IReadOnlyList<int> SkipChannels => skipChannels;

    public override int BottleneckChannels => bottleneckChannels;

    public override Tensor?[] forward(Tensor x)
    {
        var features = new Tensor?[levels.Count + 1];
        Tensor current = x;
        for (int l = 0; l < levels.Count; l++)
        {
            var skip = levels[l].forward(current);
            features[l] = skip;
            if (l > 0) current.Dispose();
            current = pool.forward(skip);
        }
        features[^1] = bottleneck.forward(current);
        if (levels.Count > 0) current.Dispose();
        return features;
    }
}
