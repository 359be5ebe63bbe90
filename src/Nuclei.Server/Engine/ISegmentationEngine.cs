using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;

namespace Nuclei.Server.Engine;

/// <summary>
/// Segmentation as the server needs it: the expensive prediction and the cheap post-processing apart, so thresholds
/// can be changed on cached maps. One implementation per way of segmenting (today <see cref="ModelEngine"/>).
/// Implementations need not be thread-safe for <see cref="Predict"/>: the server runs one prediction at a time.
/// </summary>
internal interface ISegmentationEngine
{
    /// <summary>What segments (model file, mode, policy), shown on the page.</summary>
    string Description { get; }

    /// <summary>The thresholds <c>nuclei segment</c> would use with the same options.</summary>
    Thresholds Defaults { get; }

    /// <summary>The checkpoint file(s) it segments with, for a training set's provenance and the retrain command (none: no file).</summary>
    IReadOnlyList<EngineModelFile> ModelFiles => [];

    /// <summary>False when <see cref="Predict"/> cannot rescale by a diameter (the model does not record its training diameter).</summary>
    bool AcceptsDiameter { get; }

    /// <summary>The maps of <paramref name="image"/>, at its size.</summary>
    /// <param name="diameter">the nuclei's diameter: the image is rescaled to the model's training scale (null: as it is)</param>
    /// <param name="progress">cancellation (an <see cref="OperationCanceledException"/>) and fraction done</param>
    PredictedMaps Predict(FloatImage image, Diameter? diameter, InferenceProgress progress);

    LabelImage PostProcess(PredictedMaps maps, Thresholds thresholds);
}
