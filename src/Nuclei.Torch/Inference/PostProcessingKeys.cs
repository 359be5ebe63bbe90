namespace Nuclei.Torch.Inference;

/// <summary>
/// The "section.key" settings that post-process a model's maps into nuclei: what `segment` reads from a checkpoint and
/// the user's layers, and what a fine-tuned model takes over from its source. Declared once here.
/// </summary>
internal static class PostProcessingKeys
{
    public static readonly IReadOnlyList<string> All =
    [
        "param.threshold", "param.threshold_edge", "param.threshold_mark",
        "post.policy", "post.markers", "post.remove_objects", "post.fill_holes", "post.min_object_size",
    ];
}
