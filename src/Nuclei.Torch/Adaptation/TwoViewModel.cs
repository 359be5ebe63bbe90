using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// One checkpoint predicting an image from two views: as it is (what `segment` does) and averaged over the 8
/// flips/rotations (`segment --tta`), with the post-processing saved in the checkpoint. The model is loaded once.
/// </summary>
internal sealed class TwoViewModel : IDisposable
{
    readonly InferenceModel _model;
    readonly Predictor _plain, _tta;

    /// <summary>The checkpoint's own post-processing settings.</summary>
    public PartitionOptions Partition { get; }

    TwoViewModel(InferenceModel model, PartitionOptions partition)
    {
        _model = model;
        _plain = new Predictor([model], PredictionOptions.WithTta(false), ownsModels: false);
        _tta = new Predictor([model], PredictionOptions.WithTta(true), ownsModels: false);
        Partition = partition;
    }

    public static TwoViewModel Load(string path)
    {
        var model = CheckpointModels.Load(path);
        try
        {
            if (!model.Heads.Contains(HeadProbabilities.Semantic, StringComparer.OrdinalIgnoreCase))
                throw new NucleiInputException(path, $"model has no semantic (body) head (heads: {string.Join(", ", model.Heads)}); segmentation needs one");
            var partition = CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(path));
            return new TwoViewModel(model, partition);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public HeadProbabilities PredictPlain(FloatImage image, string source) => _plain.Predict(image, source);

    public HeadProbabilities PredictTta(FloatImage image, string source) => _tta.Predict(image, source);

    /// <summary>The nuclei of <paramref name="maps"/> with <paramref name="options"/> (the checkpoint's, or candidates while tuning).</summary>
    public static LabelImage Segment(HeadProbabilities maps, PartitionOptions options) =>
        Core.PostProcessing.Partition.Run(maps.Get(HeadProbabilities.Semantic)!, maps.Get(HeadProbabilities.Contour), maps.Get(HeadProbabilities.Marker), options);

    public void Dispose() => _model.Dispose();
}
