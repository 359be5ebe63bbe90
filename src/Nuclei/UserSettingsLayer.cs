using Nuclei.Core.Configuration;

namespace Nuclei;

/// <summary>
/// The settings the user gave for segmentation (<see cref="SettingsLayers.Read"/>): their values as "section.key" pairs,
/// what every layer is merged from, and for each key whether a --config file or the command line set it.
/// </summary>
internal sealed record UserSettingsLayer(IReadOnlyList<KeyValuePair<string, string>> Values, IReadOnlyDictionary<string, SettingSource> Sources)
{
    /// <summary>The layer that gave "section.key" its value: the user's, else the model's when it saves the key, else config/default.ini.</summary>
    public SettingSource SourceOf(string key, Nuclei.Torch.Inference.CheckpointSettings? saved) =>
        Sources.TryGetValue(key, out var user) ? user
        : saved is not null && saved.Holds(key) ? SettingSource.Checkpoint
        : SettingSource.Default;
}
