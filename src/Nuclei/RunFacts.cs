using System.Security.Cryptography;
using Nuclei.Core.Output;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;

namespace Nuclei;

/// <summary>What a run record (<see cref="RunRecord"/>) says of a <see cref="NucleiSegmenter"/>: its settings as settled, its model files.</summary>
internal static class RunFacts
{
    /// <summary>The settings in effect: a network's post-processing as settled from its configuration and the user's, or the classical method's.</summary>
    public static RunSettings SettingsOf(NucleiSegmenter segmenter, ClassicalOptions? classical)
    {
        var o = segmenter.Options;
        if (classical is not null)
            return new RunSettings { Method = "classical", Policy = classical.Policy.ShortName(), MinObjectSize = classical.MinSize, ExcludeOnEdges = o.ExcludeOnEdges };
        var model = segmenter.Model!;
        var p = model.Partition;
        var settings = new RunSettings
        {
            Method = "model",
            Threshold = p.ThresholdBody, ThresholdEdge = p.ThresholdContour, ThresholdMark = p.ThresholdMarker,
            MinObjectSize = p.MinSize, Policy = p.Policy.ShortName(), Markers = p.MarkerSource.ShortName(), FillHoles = p.FillHoles,
            ExcludeOnEdges = o.ExcludeOnEdges,
            ModelDiameter = model.ModelDiameters is { } learned ? Math.Round(learned.Median, 2) : null,
        };
        // the network's options, each as its one declaration settles it
        return RunRecordFile.With(settings, SegmenterOptions.NetworkOnly
            .Where(n => n.RunName is not null).Select(n => (n.RunName!, n.Settled!(segmenter, model))));
    }

    /// <summary>Each model file (an ensemble description's members) with its digest and what its checkpoint says of its training; none for the classical method.</summary>
    public static IReadOnlyList<RunModel> ModelsOf(ModelSegmenter? model) =>
        model is null ? [] : model.Predictor.Models.Select(m => Describe(m.Source, m.Weight)).ToList();

    static RunModel Describe(string path, float weight)
    {
        var info = Checkpoint.ReadInfo(path).Info;
        string sha256;
        using (var file = File.OpenRead(path)) sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        var e = info.Evaluation;
        return new RunModel(Path.GetFullPath(path), sha256, weight, info.Epoch, info.SavedUtc, info.ValidationScore,
            e is null ? null : new RunModelEvaluation(e.MeanAp, e.Images, e.Command, e.MeasuredUtc));
    }
}
