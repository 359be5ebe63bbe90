namespace Nuclei.Torch.Models;

/// <summary>
/// Creates the encoder named by <see cref="ModelOptions.Encoder"/>. The pretrained-style encoders (ResNet, VGG,
/// DenseNet) have fixed widths and no dropout; BaseWidth, BlockOrder, Dropout and BatchNorm shape the decoder.
/// The "dilated" flag (dunet, camdunet) applies to the plain encoder only.
/// </summary>
public static class EncoderFactory
{
    public static FeatureEncoder Create(ModelOptions options, bool dilated = false) => options.Encoder switch
    {
        "plain" => new PlainEncoder(options, dilated),
        "resnet18" => new ResNetEncoder(18, options.InChannels),
        "resnet34" => new ResNetEncoder(34, options.InChannels),
        "vgg16" => new VggEncoder(options.InChannels),
        "densenet121" => new DenseNetEncoder(options.InChannels),
        _ => throw new Nuclei.Core.NucleiInputException(null, $"unknown encoder '{options.Encoder}'"),
    };
}
