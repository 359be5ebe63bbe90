using Nuclei.Core.Imaging;

namespace Nuclei.Core.Metrics;

/// <summary>
/// How much two segmentations of the same image agree: the DSB2018 mean AP of one scored against the other (symmetric,
/// since the metric counts matched pairs and unmatched objects on either side alike). 1 for identical segmentations,
/// lower the more they differ. Between a model's plain and test-time-augmented segmentation it is a label-free
/// measure of self-consistency; like any agreement score it also rewards a model that finds nothing in either view
/// (two empty segmentations agree), so callers check the nucleus count too.
/// </summary>
internal static class ViewAgreement
{
    public static double Of(LabelImage a, LabelImage b) => DsbMetric.Score(a, b).MeanAp;
}
