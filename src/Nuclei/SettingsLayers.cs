using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;

namespace Nuclei;

/// <summary>
/// The user's layers of segmentation settings, typed: the --config file under the section.key=value arguments under
/// the named options (<see cref="PostProcessingSettings"/>). Each text layer is checked against config/default.ini by
/// <see cref="ConfigurationLoader"/> and read once by its keys (<see cref="PostProcessingText"/>); the layers combine
/// by <see cref="PostProcessingLayer.Over"/>, over the model's saved configuration and config/default.ini (<see cref="ModelSegmenters"/>).
/// </summary>
internal static class SettingsLayers
{
    /// <summary>The keys a user may set for segmentation; every other key of config/default.ini belongs to training.</summary>
    public static IReadOnlyList<string> SegmentationKeys => PostProcessingKeys.All;

    /// <summary>The values the user set, each with the layer that set it; a key segmentation does not read is an error naming it.</summary>
    public static PostProcessingLayer Read(SegmenterOptions o)
    {
        // each text layer loaded alone, so that neither is merged into the other as text
        var file = ConfigurationLoader.Load(o.Config, []).UserValues.ToList();
        var arguments = ConfigurationLoader.Load(null, o.Overrides).UserValues.ToList();
        foreach (var (section, key, _, _) in file.Concat(arguments))
            if (!SegmentationKeys.Contains($"{section}.{key}", StringComparer.OrdinalIgnoreCase))
                throw new NucleiInputException(o.Config ?? "command line",
                    $"{section}.{key} does not apply to segmentation (it reads {string.Join(", ", SegmentationKeys)})");
        var below = TextLayer(arguments, SettingSource.CommandLine).Over(TextLayer(file, SettingSource.Config));
        return o.PostProcessing.AsLayer().Over(below);
    }

    static PostProcessingLayer TextLayer(IEnumerable<(string Section, string Key, string Value, SettingSource Source)> values, SettingSource source) =>
        PostProcessingText.Read(
            values.Select(v => (PartitionOptions.Keys.Single(k => k.IniKey.Equals($"{v.Section}.{v.Key}", StringComparison.OrdinalIgnoreCase)), v.Value)),
            source, Bad);

    /// <summary>A value the user gave that its key cannot take; named as the user's ("settings"), not as a file's.</summary>
    internal static NucleiInputException Bad(PostProcessingKey key, string text, string expected) =>
        new("settings", $"[{key.Section}] {key.Key} = '{UntrustedText.Clean(text)}': expected {expected}");
}
