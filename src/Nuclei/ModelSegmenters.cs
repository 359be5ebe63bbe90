using Nuclei.Core;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;
using Nuclei.Core.Settings;

namespace Nuclei;

/// <summary>
/// Model choice and segmenter construction: which checkpoint(s), prediction options, and post-processing settled from
/// the first model's saved configuration under the user's settings (<see cref="SettingsLayers"/>), as typed layers.
/// </summary>
internal static class ModelSegmenters
{
    /// <returns>the segmenter and the layers under the user's: the first model's saved post-processing settings over config/default.ini's</returns>
    public static (ModelSegmenter Segmenter, PostProcessingLayer Below) Create(SegmenterOptions o, PostProcessingLayer user)
    {
        var paths = ModelPaths(o);
        var weights = o.Weights ?? Enumerable.Repeat(1f, paths.Count).ToList();
        if (weights.Count != paths.Count)
            throw new NucleiInputException(null, $"{Setting.Weights} has {weights.Count} value(s) for {paths.Count} model(s)");
        if (weights.Any(w => !(w >= 0) || !float.IsFinite(w)))
            throw new NucleiInputException(null, $"{Setting.Weights} must be non-negative numbers");

        // checkpoints and ensemble descriptions (.nens), expanded into their members; all loaded, or none
        var loaded = CheckpointModels.LoadAll(paths, weights, o.Precision ?? ComputePrecisions.Default, o.Runtime ?? NetworkRuntimes.Default,
            o.Device ?? InferenceDevices.Default);
        try
        {
            var (members, splitter) = MixedEnsemble(loaded);
            var predictor = new Predictor(members, PredictionOptionsOf(o));
            var saved = CheckpointModels.SettingsOf(paths[0]);
            var below = Below(saved);
            var partition = user.Over(below).ToPartitionOptions();
            try { return (new ModelSegmenter(predictor, partition) { Diameter = o.Diameter, ModelDiameters = LearnedDiameters.Of(loaded[0].MedianDiameter, saved), Splitter = splitter }, below); }
            catch (ArgumentException e) { throw new NucleiInputException(null, e.Message); }
        }
        catch
        {
            foreach (var m in loaded) m.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The models whose maps are averaged, and a mixed ensemble's detector (null when there is none): dense models and one
    /// detector, the dense model first, since the ensemble takes its settings and training diameter from the first model.
    /// </summary>
    static (IReadOnlyList<InferenceModel> Members, InferenceModel? Splitter) MixedEnsemble(IReadOnlyList<InferenceModel> loaded)
    {
        var detectors = loaded.Where(m => m.Detector is not null).ToList();
        if (detectors.Count == 0 || detectors.Count == loaded.Count) return (loaded, null);
        if (detectors.Count > 1)
            throw new NucleiInputException(detectors[1].Source, "a mixed ensemble takes one detector (its nuclei split the dense models'), not two");
        if (loaded[0].Detector is not null)
            throw new NucleiInputException(loaded[0].Source, "in a mixed ensemble a dense model comes first (its settings are the ensemble's); give the detector after it");
        return (loaded.Where(m => m.Detector is null).ToList(), detectors[0]);
    }

    /// <summary>The saved configuration's post-processing settings over config/default.ini's: what the user's layer goes over.</summary>
    public static PostProcessingLayer Below(CheckpointSettings saved) => CheckpointPostProcessing.Of(saved).Over(PostProcessingText.Defaults);

    /// <summary>The checkpoints to load: the given ones, else $NUCLEI_MODEL or the bundled default.</summary>
    static IReadOnlyList<string> ModelPaths(SegmenterOptions o)
    {
        if (o.Models.Count > 0) return o.Models;
        string? found = DefaultModel.Locate();
        if (found is null)
            throw new NucleiInputException(null, DefaultModel.NotFoundMessage());
        return [found];
    }

    static PredictionOptions PredictionOptionsOf(SegmenterOptions o)
    {
        var d = new PredictionOptions();
        int tileSize = o.TileSize ?? d.TileSize, overlap = o.TileOverlap ?? d.TileOverlap;
        if (tileSize <= 0) throw new NucleiInputException(null, $"{Setting.TileSize} must be positive");
        if (overlap < 0) throw new NucleiInputException(null, $"{Setting.TileOverlap} must be >= 0");
        return d with
        {
            Mode = o.Mode ?? d.Mode,
            Border = o.Border ?? d.Border,
            Transforms = o.Tta ? TestTimeAugmentation.Standard : null,
            TileSize = tileSize,
            TileOverlap = overlap,
        };
    }
}
