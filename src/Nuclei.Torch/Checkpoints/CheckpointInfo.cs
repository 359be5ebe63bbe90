namespace Nuclei.Torch.Checkpoints;

/// <summary>
/// What a checkpoint records besides the model name, options and weights. The optimizer state and the training
/// random state are opaque to the checkpoint: the trainer serialises them and gets the same bytes back.
/// </summary>
internal sealed record CheckpointInfo
{
    /// <summary>The effective training configuration, as key/value pairs (e.g. "train.learning_rate" = "1e-4").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Configuration { get; init; } = [];

    public int Epoch { get; init; }

    public long Step { get; init; }

    /// <summary>Validation score (e.g. DSB mean AP) when one was measured.</summary>
    public double? ValidationScore { get; init; }

    /// <summary>Validation mean AP per kind of image (fluorescence, colour-bright, grey-bright) when measured.</summary>
    public IReadOnlyDictionary<string, double>? ValidationByKind { get; init; }

    /// <summary>The score on whole images with this checkpoint's post-processing, when `nuclei tune` measured it.</summary>
    public ModelEvaluation? Evaluation { get; init; }

    /// <summary>Median nucleus diameter (px, equivalent-circle) of the training labels: the scale the model knows.</summary>
    public double? MedianDiameter { get; init; }

    /// <summary>The self-training adaptations this model went through (`nuclei adapt`), oldest first; null for none.</summary>
    public IReadOnlyList<AdaptationRecord>? Adaptations { get; init; }

    /// <summary>The two checkpoints this one's weights were blended from (`nuclei blend`); null for a trained one.</summary>
    public BlendRecord? Blend { get; init; }

    /// <summary>When the checkpoint was written (UTC); set by <see cref="Checkpoint.Save"/> when left default.</summary>
    public DateTime SavedUtc { get; init; }

    /// <summary>Optimizer state (e.g. from the optimizer's state dict), when training is to be resumed.</summary>
    public byte[]? OptimizerState { get; init; }

    /// <summary>The trainer's random state (sampler/augmentation generators), when training is to be resumed.</summary>
    public byte[]? RandomState { get; init; }
}
