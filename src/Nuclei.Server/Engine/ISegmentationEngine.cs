using Nuclei.Core.Imaging;

namespace Nuclei.Server.Engine;

/// <summary>
/// Segmentation as the server needs it: the expensive prediction and the cheap post-processing apart, so thresholds
/// can be changed on cached maps. One implementation per way of segmenting (today <see cref="ModelEngine"/>).
/// Implementations need not be thread-safe for <see cref="Predict"/>: the server runs one prediction at a time.
/// </summary>
public interface ISegmentationEngine
{
    /// <summary>What segments (model file, mode, policy), shown on the page.</summary>
    string Description { get; }

    /// <summary>The thresholds <c>nuclei segment</c> would use with the same options.</summary>
    Thresholds Defaults { get; }

    PredictedMaps Predict(FloatImage image);

    LabelImage PostProcess(PredictedMaps maps, Thresholds thresholds);
}
