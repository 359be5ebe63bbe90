using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// samuelschen/DSB2018's U-Net family: one encoder shared by all heads and either one decoder per head (unet, caunet, camunet,
/// dunet, camdunet: samuelschen/DSB2018 found separate decoders better) or one shared decoder whose last 1×1 convolution has a
/// channel per head (scamunet).
/// </summary>
internal sealed class MultiHeadUNet : SegmentationNet
{
    private readonly FeatureEncoder encoder;
    private readonly ModuleList<UNetDecoder> decoders = new();

    public MultiHeadUNet(string modelName, IReadOnlyList<HeadKind> heads, ModelOptions options,
        FeatureEncoder encoder, IReadOnlyList<int> decoderWidths, bool sharedDecoder)
        : base(modelName, heads, options, encoder.SizeMultiple)
    {
        this.encoder = encoder;
        SharedDecoder = sharedDecoder;
        if (sharedDecoder)
            decoders.Add(new UNetDecoder(encoder, decoderWidths, heads.Count, options));
        else
            foreach (var _ in heads) decoders.Add(new UNetDecoder(encoder, decoderWidths, 1, options));
        RegisterComponents();
    }

    public bool SharedDecoder { get; }

    /// <summary>The encoder (e.g. to load ImageNet weights into it or to freeze it).</summary>
    public FeatureEncoder Encoder => encoder;

    public override Tensor forward(Tensor x)
    {
        var features = encoder.forward(x);
        try
        {
            if (decoders.Count == 1) return decoders[0].forward(features);
            var outputs = decoders.Select(d => d.forward(features)).ToArray();
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
