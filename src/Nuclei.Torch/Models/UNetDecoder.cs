using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// The expanding half of a U-Net, ending in a 1×1 convolution to <c>outChannels</c> logits. Per level (deepest first):
/// 2×2 stride-2 transposed convolution to the level's width, reflect-pad to the skip's size, concatenate the skip,
/// two convolution blocks (Ronneberger et al. 2015, "U-Net", as in samuelschen/DSB2018).
/// </summary>
internal sealed class UNetDecoder : nn.Module<Tensor?[], Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> ups = new();
    private readonly ModuleList<UNetLevel> levels = new();
    private readonly nn.Module<Tensor, Tensor> head;

    /// <param name="widths">Output width of each level, index 0 = full resolution.</param>
    public UNetDecoder(FeatureEncoder encoder, IReadOnlyList<int> widths, int outChannels, ModelOptions options)
        : base(nameof(UNetDecoder))
    {
        if (widths.Count != encoder.Levels) throw new ArgumentException("one decoder width per encoder level");
        long inChannels = encoder.BottleneckChannels;
        for (int l = encoder.Levels - 1; l >= 0; l--)
        {
            ups.Add(nn.ConvTranspose2d(inChannels, widths[l], 2, stride: 2));
            levels.Add(new UNetLevel(widths[l] + encoder.SkipChannels[l], widths[l], options));
            inChannels = widths[l];
        }
        head = nn.Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    /// <summary>Widths BaseWidth·2^l, as samuelschen/DSB2018's decoder.</summary>
    public static int[] DefaultWidths(ModelOptions options, int levels) =>
        Enumerable.Range(0, levels).Select(l => options.BaseWidth << l).ToArray();

    public override Tensor forward(Tensor?[] features)
    {
        int n = features.Length - 1;
        Tensor x = features[n]!;
        bool ownsX = false;
        for (int i = 0; i < ups.Count; i++)
        {
            int l = n - 1 - i;
            var up = ups[i].forward(x);
            if (ownsX) x.Dispose();
            Tensor? skip = features[l];
            Tensor merged;
            if (skip is null)
            {
                merged = up;
            }
            else
            {
                var sized = Layers.MatchSize(up, skip);
                merged = torch.cat([sized, skip], 1);
                if (!ReferenceEquals(sized, up)) sized.Dispose();
                up.Dispose();
            }
            x = levels[i].forward(merged);
            merged.Dispose();
            ownsX = true;
        }
        var logits = head.forward(x);
        if (ownsX) x.Dispose();
        return logits;
    }
}
