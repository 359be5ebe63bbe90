namespace Nuclei.Core.Metrics;

/// <summary>One image's result in an evaluation: the competition score, the pixel-level overlap and the object errors.</summary>
internal sealed record ImageEvaluation(string Id, ImageScore Score, PixelOverlap Pixels, ObjectErrors Errors)
{
    public static ImageEvaluation Of(string id, Imaging.LabelImage truth, Imaging.LabelImage pred)
    {
        var overlaps = ObjectOverlaps.Compute(truth, pred);
        return new ImageEvaluation(id, DsbMetric.Score(overlaps), PixelOverlap.Compute(truth, pred), ErrorAnalysis.Analyze(overlaps));
    }
}
