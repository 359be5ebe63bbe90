using Nuclei.Core.PostProcessing;

namespace Nuclei.Torch.Inference;

/// <summary>
/// The "section.key" settings that post-process a model's maps into nuclei: what `segment` reads from a checkpoint and
/// the user's layers, and what a fine-tuned model takes over from its source: those of <see cref="PartitionOptions.Keys"/>.
/// </summary>
internal static class PostProcessingKeys
{
    public static readonly IReadOnlyList<string> All = PartitionOptions.Keys.Select(k => k.IniKey).ToList();
}
