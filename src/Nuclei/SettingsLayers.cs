using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Inference;

namespace Nuclei;

/// <summary>
/// The one reader of segmentation settings: config/default.ini, then the model's saved configuration, then the user's
/// layer (an INI file, section.key=value overrides and the named options, checked against config/default.ini by
/// <see cref="ConfigurationLoader"/>), read by <see cref="CheckpointModels.PartitionOptionsOf"/>.
/// </summary>
internal static class SettingsLayers
{
    /// <summary>The keys a user may set for segmentation; every other key of config/default.ini belongs to training.</summary>
    public static IReadOnlyList<string> SegmentationKeys => PostProcessingKeys.All;

    /// <summary>The values the user set, as "section.key" pairs; a key segmentation does not read is an error naming it.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> UserLayer(SegmenterOptions o) => Read(o).Values;

    /// <summary>The values the user set with the layer (--config file or command line) that set each; a key segmentation does not read is an error naming it.</summary>
    public static UserSettingsLayer Read(SegmenterOptions o)
    {
        var config = ConfigurationLoader.Load(o.Config, o.Overrides.Concat(o.PostProcessing.ToOverrides()));
        var values = config.UserValues.ToList();
        var pairs = values.Select(v => new KeyValuePair<string, string>($"{v.Section}.{v.Key}", v.Value)).ToList();
        foreach (var (key, _) in pairs)
            if (!SegmentationKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new NucleiInputException(o.Config ?? "command line",
                    $"{key} does not apply to segmentation (it reads {string.Join(", ", SegmentationKeys)})");
        var sources = values.ToDictionary(v => $"{v.Section}.{v.Key}", v => v.Source, StringComparer.OrdinalIgnoreCase);
        return new UserSettingsLayer(pairs, sources);
    }

    /// <summary><paramref name="saved"/> (a checkpoint's configuration), then <paramref name="user"/>; under both, config/default.ini (<see cref="CheckpointSettings"/>).</summary>
    public static CheckpointSettings Merge(IEnumerable<KeyValuePair<string, string>> saved, IEnumerable<KeyValuePair<string, string>> user, string source) =>
        new(saved.Concat(user), source);
}
