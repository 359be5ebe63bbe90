namespace Nuclei.Torch.Models;

/// <summary>Creates the encoder named by <see cref="ModelOptions.Encoder"/>.</summary>
public static class EncoderFactory
{
    public static FeatureEncoder Create(ModelOptions options, bool dilated = false) => options.Encoder switch
    {
        "plain" => new PlainEncoder(options, dilated),
        _ => throw new Nuclei.Core.NucleiInputException(null, $"encoder '{options.Encoder}' is not available yet"),
    };
}
