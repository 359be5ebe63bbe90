using Nuclei.Core.Data;

namespace Nuclei.Torch.Adaptation;

/// <summary>What `nuclei adapt` asks for: the model, the unlabelled images, where the adapted model goes, and how.</summary>
internal sealed record AdaptationOptions(string ModelPath, IReadOnlyList<InputImage> Images, string OutPath)
{
    /// <summary>Fine-tuning, batch-norm statistics re-estimated, or both (the statistics first).</summary>
    public AdaptationMethod Method { get; init; } = AdaptationMethod.FineTune;

    /// <summary>Minutes of fine-tuning ([train] time_budget_minutes).</summary>
    public double Minutes { get; init; } = 5;

    /// <summary>[train] seed of the fine-tuning run.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>A pseudo-labelled nucleus needs at least this mean body probability (test-time-augmented maps).</summary>
    public double Confidence { get; init; } = 0.7;

    /// <summary>... and a nucleus of the plain (not augmented) segmentation overlapping it with at least this IoU.</summary>
    public double MinIou { get; init; } = 0.7;

    /// <summary>
    /// An image is trained on only when it keeps at least this share of its nuclei: training has no ignore mask, so the
    /// nuclei dropped from a pseudo-labelled image teach "background" there, and images that lose many are left out.
    /// </summary>
    public double MinKeptShare { get; init; } = 0.5;

    /// <summary>Learning rate of the decoder and heads ([param] learn_rate).</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>The encoder's learning rate relative to it ([train] encoder_lr_ratio): low, so the features barely move.</summary>
    public double EncoderLrRatio { get; init; } = 0.1;

    /// <summary>[train] min_budget_updates: fewer optimizer updates than this in <see cref="Minutes"/> is refused.</summary>
    public int MinUpdates { get; init; } = 50;

    /// <summary>More section.key=value settings for the fine-tuning run, applied last.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Called with the fine-tuned checkpoint's path before it is scored (fault injection in tests: a worse model).</summary>
    public Action<string>? AfterFineTune { get; init; }
}
