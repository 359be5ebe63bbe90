using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// DCAN, after Chen et al. 2016, "DCAN: Deep contour-aware networks for accurate gland segmentation": a shared
/// down-sampling path and, per head, classifiers on the three deepest feature maps whose outputs are upsampled to the
/// input size and summed (multi-level contextual fusion). Here the down-sampling path is the plain U-Net encoder,
/// each classifier a 3×3 convolution block to BaseWidth channels and a 1×1 convolution, the upsampling bilinear.
/// </summary>
internal sealed class Dcan : SegmentationNet
{
    private readonly PlainEncoder encoder;
    private readonly ModuleList<ModuleList<nn.Module<Tensor, Tensor>>> classifiers = new();
    private readonly int[] taps;

    public Dcan(string modelName, IReadOnlyList<HeadKind> heads, ModelOptions options)
        : base(modelName, heads, options, 1 << options.Depth)
    {
        encoder = new PlainEncoder(options);
        int n = encoder.Levels;
        taps = Enumerable.Range(Math.Max(0, n - 2), Math.Min(3, n + 1)).ToArray(); // feature indices, bottleneck = n
        foreach (var _ in heads)
        {
            var perTap = new ModuleList<nn.Module<Tensor, Tensor>>();
            foreach (int t in taps)
            {
                int channels = t == n ? encoder.BottleneckChannels : encoder.SkipChannels[t];
                perTap.Add(nn.Sequential(
                    ("block", new ConvBlock(channels, options.BaseWidth, options)),
                    ("score", nn.Conv2d(options.BaseWidth, 1, 1))));
            }
            classifiers.Add(perTap);
        }
        RegisterComponents();
    }

    /// <summary>The encoder outputs that have classifiers (indices into its features; the bottleneck is the last).</summary>
    internal IReadOnlyList<int> Taps => taps;

    public override Tensor forward(Tensor x)
    {
        var features = encoder.forward(x);
        long h = x.shape[2], w = x.shape[3];
        try
        {
            var outputs = new Tensor[classifiers.Count];
            for (int k = 0; k < classifiers.Count; k++)
            {
                Tensor? sum = null;
                for (int i = 0; i < taps.Length; i++)
                {
                    using var score = classifiers[k][i].forward(features[taps[i]]!);
                    var up = nn.functional.interpolate(score, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
                    if (sum is null) { sum = up; continue; }
                    var s = sum.add(up);
                    sum.Dispose(); up.Dispose();
                    sum = s;
                }
                outputs[k] = sum!;
            }
            var logits = torch.cat(outputs, 1);
            foreach (var o in outputs) o.Dispose();
            return logits;
        }
        finally
        {
            foreach (var f in features) f?.Dispose();
        }
    }
}
