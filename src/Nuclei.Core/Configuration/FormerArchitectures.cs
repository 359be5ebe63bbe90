namespace Nuclei.Core.Configuration;

/// <summary>
/// Architecture names of the original DSB2018 toolkit (samuelschen/DSB2018's build_model) that this project spells
/// otherwise (an architecture with an encoder suffix), so that an unknown-model error can name the equivalent.
/// </summary>
internal static class FormerArchitectures
{
    static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["res_camunet"] = "camunet_resnet34 (camunet on a ResNet-34 encoder)",
        ["res_samunet"] = "scamunet_resnet34 (one decoder shared by the three heads, on a ResNet-34 encoder)",
        ["res_unet"] = "unet_resnet34",
        ["vgg_unet"] = "unet_vgg16",
        ["dense_unet"] = "unet_densenet121",
        ["scamdunet"] = "no equivalent: camdunet (one decoder per head) or scamunet (shared decoder, not dilated)",
    };

    /// <summary>This project's name for an original architecture name, or null.</summary>
    public static string? Equivalent(string name) => Names.TryGetValue(name.Trim(), out var now) ? now : null;
}
