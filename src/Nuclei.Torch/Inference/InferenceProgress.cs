namespace Nuclei.Torch.Inference;

/// <summary>
/// How far a segmentation call has got, and whether it should stop: the predictor checks <see cref="Cancellation"/>
/// before every forward pass (each tile batch, each test-time augmentation view) and reports the fraction done after
/// it. Nested work gets a <see cref="Part"/>, a sub-range of the caller's fraction, so a caller sees one fraction
/// rising from 0 to 1 over models, scales, tile batches and views.
/// </summary>
public sealed class InferenceProgress
{
    readonly Action<double>? report;
    readonly double from, to;

    /// <param name="cancellation">stops the work at the next forward pass (an <see cref="OperationCanceledException"/>)</param>
    /// <param name="report">hears the fraction done, 0..1, rising; called on the predicting thread</param>
    public InferenceProgress(CancellationToken cancellation = default, Action<double>? report = null)
        : this(cancellation, report, 0, 1) { }

    InferenceProgress(CancellationToken cancellation, Action<double>? report, double from, double to)
    {
        Cancellation = cancellation; this.report = report; this.from = from; this.to = to;
    }

    /// <summary>Neither cancelled nor heard.</summary>
    public static InferenceProgress None { get; } = new();

    public CancellationToken Cancellation { get; }

    /// <summary>Throws <see cref="OperationCanceledException"/> once cancellation is asked.</summary>
    public void ThrowIfCancelled() => Cancellation.ThrowIfCancellationRequested();

    /// <summary>Reports <paramref name="fraction"/> (0..1) of this part as done.</summary>
    public void Report(double fraction) => report?.Invoke(from + (to - from) * Math.Clamp(fraction, 0, 1));

    /// <summary>Step <paramref name="index"/> of <paramref name="count"/> equal steps of this part.</summary>
    public InferenceProgress Part(int index, int count) =>
        new(Cancellation, report, from + (to - from) * index / count, from + (to - from) * (index + 1) / count);
}
