using Nuclei.Core.Configuration;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Torch.Inference;

/// <summary>
/// The post-processing settings a model's saved configuration gives (head thresholds in [param], the [post] section),
/// read once into a typed layer: the one between config/default.ini and the user's.
/// </summary>
internal static class CheckpointPostProcessing
{
    /// <summary>
    /// The keys of <see cref="PartitionOptions.Keys"/> the configuration gives a value of its own; a missing key, or an
    /// empty name from a list, is left to config/default.ini's layer. A value its key cannot read (an empty number or
    /// flag included) is an error naming the key and <see cref="CheckpointSettings.Source"/>: the checkpoint may come from anywhere.
    /// </summary>
    public static PostProcessingLayer Of(CheckpointSettings s) =>
        PostProcessingText.Read(
            PartitionOptions.Keys.Where(k => s.Holds(k.IniKey) || (!k.EmptyReadsDefault && s.Mentions(k.IniKey))).Select(k => (k, s.Get(k.Section, k.Key))),
            SettingSource.Checkpoint, (k, _, expected) => s.Bad(k.Section, k.Key, expected));
}
