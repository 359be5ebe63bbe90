using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;
using Nuclei.Server.Sessions;
using Nuclei.Torch.Inference;

namespace Nuclei.Server.Engine;

/// <summary>
/// <see cref="ISegmentationEngine"/> over a <see cref="NucleiSegmenter"/>, the library entry point <c>nuclei segment</c>
/// uses: its maps (<see cref="NucleiSegmenter.Predict"/>, at the upload's diameter, brought back to the image's size),
/// then its post-processing with the page's thresholds at the image's size (so the minimum size is in the image's pixels,
/// as on the page).
/// </summary>
internal sealed class ModelEngine : ISegmentationEngine, IDisposable
{
    readonly NucleiSegmenter segmenter;

    /// <param name="loaded">owned (disposed with this engine); a network (not the classical method) loaded without a diameter (each upload has its own)</param>
    public ModelEngine(NucleiSegmenter loaded)
    {
        if (loaded.PostProcessing is not { } p) throw new ArgumentException("the server segments with a network, not the classical method");
        if (loaded.Options.Diameter is not null) throw new ArgumentException("load the server's model without a diameter: each upload gives its own");
        segmenter = loaded;
        Description = loaded.Description;
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
    public bool AcceptsDiameter => Settings.ModelDiameter is not null;

    public PredictedMaps Predict(FloatImage image, Diameter? diameter, InferenceProgress progress)
    {
        var maps = segmenter.Predict(image, new SegmentCall { Diameter = diameter, Progress = progress });
        // the prediction's leftovers (the network's planar input, the tile weights, the decoder's buffers) are garbage
        // now, about the image's size again: collected before post-processing allocates
        MemoryReturn.Now(4L * image.Data.Length);
        return new PredictedMaps(maps.Get(HeadProbabilities.Semantic)!, maps.Get(HeadProbabilities.Contour), maps.Get(HeadProbabilities.Marker));
    }

    public LabelImage PostProcess(PredictedMaps maps, Thresholds thresholds)
    {
        thresholds.Validate();
        var heads = new List<string> { HeadProbabilities.Semantic };
        var images = new List<FloatImage> { maps.Body };
        if (maps.Contour is { } contour) { heads.Add(HeadProbabilities.Contour); images.Add(contour); }
        if (maps.Marker is { } marker) { heads.Add(HeadProbabilities.Marker); images.Add(marker); }
        return segmenter.PostProcess(new HeadProbabilities(heads, images), new PostProcessingSettings
        {
            Threshold = thresholds.Body, ThresholdEdge = thresholds.Contour, ThresholdMark = thresholds.Marker, MinObjectSize = thresholds.MinSize,
        });
    }

    public void Dispose() => segmenter.Dispose();
}
