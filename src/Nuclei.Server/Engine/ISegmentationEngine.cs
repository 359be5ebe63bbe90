using Nuclei.Core.Configuration;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;
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

    /// <summary>The checkpoint files as run.json records them (what their checkpoints say of their training); by default <see cref="ModelFiles"/> alone.</summary>
    IReadOnlyList<RunModel> RunModels => ModelFiles.Select(f => new RunModel(f.Path, f.Sha256, 1, 0, default, null, null)).ToList();

    /// <summary>Every setting it segments with as run.json names them, <see cref="Defaults"/> among them (the page's run.json starts from these).</summary>
    RunSettings Settings => new()
    {
        Threshold = Defaults.Body, ThresholdEdge = Defaults.Contour, ThresholdMark = Defaults.Marker, MinObjectSize = Defaults.MinSize,
    };

    /// <summary>Which layer gave each of <see cref="Settings"/> its value, by run.json's name (none known: empty).</summary>
    IReadOnlyDictionary<string, SettingSource> SettingSources => new Dictionary<string, SettingSource>();

    /// <summary>False when <see cref="Predict"/> cannot rescale by a diameter (the model does not record its training diameter).</summary>
    bool AcceptsDiameter { get; }

    /// <summary>The maps of <paramref name="image"/>, at its size.</summary>
    /// <param name="diameter">the nuclei's diameter: the image is rescaled to the model's training scale (null: as it is)</param>
    /// <param name="progress">cancellation (an <see cref="OperationCanceledException"/>) and fraction done</param>
    PredictedMaps Predict(FloatImage image, Diameter? diameter, InferenceProgress progress);

    LabelImage PostProcess(PredictedMaps maps, Thresholds thresholds);
}
