using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;
using Nuclei.Core.PostProcessing;
using Nuclei.Core.Staining;
using Nuclei.Server.Sessions;
using Nuclei.Torch.Inference;

namespace Nuclei.Server.Engine;

/// <summary>
/// <see cref="ISegmentationEngine"/> over the model of a <see cref="NucleiSegmenter"/>, the library entry point <c>nuclei segment</c> uses:
/// the maps of <see cref="ModelSegmenter.Segment(FloatImage, string?, out HeadProbabilities, WholeImage?, InferenceProgress?)"/> (rescaled by the upload's
/// diameter, brought back to the image's size), then <see cref="Partition.Run"/> with the segmenter's options and the
/// page's thresholds at the image's size (so the minimum size is in the image's pixels, as on the page).
/// </summary>
internal sealed class ModelEngine : ISegmentationEngine, IDisposable
{
    readonly NucleiSegmenter owner;
    readonly ModelSegmenter segmenter;

    /// <param name="loaded">owned (disposed with this engine); a network (not the classical method) loaded without a diameter (each upload has its own)</param>
    public ModelEngine(NucleiSegmenter loaded)
    {
        segmenter = loaded.Model ?? throw new ArgumentException("the server segments with a network, not the classical method");
        if (segmenter.Diameter is not null) throw new ArgumentException("load the server's model without a diameter: each upload gives its own");
        owner = loaded;
        Description = loaded.Description;
        var p = segmenter.Partition;
        Defaults = new Thresholds(p.ThresholdBody, p.ThresholdContour, p.ThresholdMarker, p.MinSize);
        // hashed as loaded: a file replaced on disk later must not be credited with these weights
        RunModels = loaded.ModelFiles();
        ModelFiles = RunModels.Select(m => new EngineModelFile(m.Path, m.Sha256)).ToList();
        Settings = loaded.Settings;
        SettingSources = loaded.SettingSources;
    }

    public string Description { get; }
    public IReadOnlyList<EngineModelFile> ModelFiles { get; }
    public IReadOnlyList<RunModel> RunModels { get; }
    public RunSettings Settings { get; }
    public IReadOnlyDictionary<string, SettingSource> SettingSources { get; }
    public Thresholds Defaults { get; }
    public bool AcceptsDiameter => segmenter.ModelDiameters is not null;

    public PredictedMaps Predict(FloatImage image, Diameter? diameter, InferenceProgress progress)
    {
        // what the network is shown of the upload (serve --stain), settled per image as segment settles it
        image = Stains.Prepare(Stains.Resolve(owner.StainSetting, image), image, null);
        HeadProbabilities maps;
        if (diameter is null) maps = segmenter.Predictor.Predict(image, progress: progress);
        else
        {
            // the loaded segmenter's settings with this upload's diameter; it shares (and must not dispose) the predictor
            var scaled = new ModelSegmenter(segmenter.Predictor, segmenter.Partition) { Diameter = diameter, ModelDiameters = segmenter.ModelDiameters };
            scaled.Segment(image, null, out maps, progress: progress);
        }
        // the prediction's leftovers (the network's planar input, the tile weights, the decoder's buffers) are garbage
        // now, about the image's size again: collected before post-processing allocates
        MemoryReturn.Now(4L * image.Data.Length);
        return new PredictedMaps(maps.Get(HeadProbabilities.Semantic)!, maps.Get(HeadProbabilities.Contour), maps.Get(HeadProbabilities.Marker));
    }

    public LabelImage PostProcess(PredictedMaps maps, Thresholds thresholds)
    {
        thresholds.Validate();
        var options = segmenter.Partition with
        {
            ThresholdBody = thresholds.Body, ThresholdContour = thresholds.Contour, ThresholdMarker = thresholds.Marker, MinSize = thresholds.MinSize,
            // the maps are at the image's size here, so partition's own border removal is segment's --exclude-on-edges
            RemoveBorderObjects = owner.Options.ExcludeOnEdges,
        };
        return Partition.Run(maps.Body, maps.Contour, maps.Marker, options);
    }

    public void Dispose() => owner.Dispose();
}
