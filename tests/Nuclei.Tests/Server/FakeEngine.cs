using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Server.Engine;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Server;

/// <summary>
/// A segmentation engine without a network, for the API tests: the body map is the image's brightness, and
/// post-processing is the project's <see cref="Partition"/> with the thresholds asked. Counts its predictions and
/// remembers the diameter asked. Prediction goes in <see cref="Steps"/> steps, each checking cancellation and reporting
/// progress as the predictor does; with a <see cref="Gate"/> it stops halfway until the gate opens (or it is cancelled).
/// </summary>
internal sealed class FakeEngine : ISegmentationEngine
{
    int predictions;
    public int Predictions => Volatile.Read(ref predictions);

    /// <summary>When set, prediction throws it (to see how the server answers an internal failure).</summary>
    public Exception? Failure { get; init; }

    /// <summary>When set, prediction reports 0.5, releases <see cref="Halfway"/>, and waits for this gate (cancellable).</summary>
    public SemaphoreSlim? Gate { get; init; }

    /// <summary>Released each time a gated prediction is halfway.</summary>
    public SemaphoreSlim Halfway { get; } = new(0);

    /// <summary>Progress steps of a prediction, and how long each takes (for the browser tests to see progress).</summary>
    public int Steps { get; init; } = 1;
    public int StepMilliseconds { get; init; }

    public bool AcceptsDiameter { get; init; } = true;

    /// <summary>The checkpoint files it claims to segment with (none by default: no file).</summary>
    public IReadOnlyList<EngineModelFile> ModelFiles { get; init; } = [];

    public Diameter? LastDiameter { get; private set; }

    public string Description => "fake engine (brightness)";
    public Thresholds Defaults { get; } = new(0.5f, 0.5f, 0.5f, 10);

    public PredictedMaps Predict(FloatImage image, Diameter? diameter, InferenceProgress progress)
    {
        Interlocked.Increment(ref predictions);
        LastDiameter = diameter;
        if (Failure is not null) throw Failure;
        if (Gate is not null)
        {
            progress.Report(0.5);
            Halfway.Release();
            Gate.Wait(progress.Cancellation);
        }
        for (int k = 0; k < Steps; k++)
        {
            progress.ThrowIfCancelled();
            if (StepMilliseconds > 0) progress.Cancellation.WaitHandle.WaitOne(StepMilliseconds);
            progress.ThrowIfCancelled();
            progress.Report((k + 1.0) / Steps);
        }
        var body = new FloatImage(image.Height, image.Width, 1);
        for (int i = 0; i < body.Data.Length; i++)
        {
            float sum = 0;
            for (int c = 0; c < image.Channels; c++) sum += image.Data[i * image.Channels + c];
            body.Data[i] = sum / image.Channels;
        }
        return new PredictedMaps(body, null, null);
    }

    public LabelImage PostProcess(PredictedMaps maps, Thresholds thresholds) =>
        Partition.Run(maps.Body, null, null, new PartitionOptions { ThresholdBody = thresholds.Body, MinSize = thresholds.MinSize });
}
