using Nuclei.Core.Configuration;
using Nuclei.Torch.Inference;

namespace Nuclei.Torch.Training;

/// <summary>
/// The training configuration as a checkpoint saves it ("section.key" pairs), and read back the way `segment` reads a
/// checkpoint's: normalisation and post-processing during training come from the same readers as in inference.
/// </summary>
internal static class SavedConfiguration
{
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(NucleiConfiguration c) =>
        c.SectionNames.SelectMany(s => c.Section(s).Select(kv => new KeyValuePair<string, string>(s + "." + kv.Key, kv.Value))).ToList();

    /// <summary>A saved key as "section.key": older checkpoints saved the configuration library's "section:key".</summary>
    public static string KeyOf(string savedKey) => savedKey.Replace(':', '.');

    public static CheckpointSettings Settings(NucleiConfiguration c) => new(Pairs(c));
}
