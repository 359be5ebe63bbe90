using System.Text.Json.Serialization;
using Nuclei.Core.Metrics;

namespace Nuclei.Cli.Commands;

/// <summary>What `nuclei evaluate --json` writes: the scores the text shows, every image's among them.</summary>
internal sealed record EvaluationJson(
    double MeanAp, int Images, double F1At50, double PixelIou, double PixelDice, double Seconds,
    IReadOnlyList<EvaluationJson.Threshold> Thresholds, IReadOnlyList<EvaluationJson.Image> PerImage,
    IReadOnlyList<KindScore>? Kinds, double? BalancedMeanAp,
    IReadOnlyList<EvaluationJson.Stack> Stacks, [property: JsonPropertyName("mean_ap_3d")] double? MeanAp3d, double? MeanApPlanes)
{
    /// <summary>A 3D label stack: mean AP of its 3D nuclei (IoU over voxels) and the mean over its z planes of the 2D mean AP.</summary>
    public sealed record Stack(string Id, int Planes, [property: JsonPropertyName("mean_ap_3d")] double MeanAp3d, double MeanApPlanes, int TrueObjects, int PredictedObjects, double VoxelIou);

    public sealed record Threshold(double Iou, int Tp, int Fp, int Fn, double Score);

    public sealed record Image(string Id, double MeanAp, double Ap50, double F1At50, int TrueObjects, int PredictedObjects, double PixelIou);

    public static EvaluationJson Of(Evaluation result, IReadOnlyList<KindScore>? kinds, double seconds) => new(
        result.Dataset.MeanAp, result.Dataset.Images, result.Dataset.F1At50, result.Pixels.Iou, result.Pixels.Dice, seconds,
        result.Dataset.Totals.Select(t => new Threshold(t.Threshold, t.TruePositives, t.FalsePositives, t.FalseNegatives, t.Precision)).ToList(),
        result.Images.Select(r => new Image(r.Id, r.Score.MeanAp, r.Score.PerThreshold[0].Precision, r.Score.F1At50,
            r.Score.TrueObjects, r.Score.PredictedObjects, r.Pixels.Iou)).ToList(),
        kinds, kinds is null ? null : KindBreakdown.Balanced(kinds),
        result.Stacks.Select(s => new Stack(s.Id, s.Depth, s.Volume.MeanAp, s.Planes.MeanAp, s.Volume.TrueObjects, s.Volume.PredictedObjects, s.Voxels.Iou)).ToList(),
        result.Stacks.Count == 0 ? null : result.Stacks.Average(s => s.Volume.MeanAp),
        result.Stacks.Count == 0 ? null : result.Stacks.Average(s => s.Planes.MeanAp));
}
