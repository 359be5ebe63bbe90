using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Server.Engine;

namespace Nuclei.Tests.Server;

/// <summary>
/// A segmentation engine without a network, for the API tests: the body map is the image's brightness, and
/// post-processing is the project's <see cref="Partition"/> with the thresholds asked. Counts its predictions.
/// </summary>
public sealed class FakeEngine : ISegmentationEngine
{
    int predictions;
    public int Predictions => Volatile.Read(ref predictions);

    /// <summary>When set, prediction throws it (to see how the server answers an internal failure).</summary>
    public Exception? Failure { get; init; }

    public string Description => "fake engine (brightness)";
    public Thresholds Defaults { get; } = new(0.5f, 0.5f, 0.5f, 10);

    public PredictedMaps Predict(FloatImage image)
    {
        Interlocked.Increment(ref predictions);
        if (Failure is not null) throw Failure;
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
