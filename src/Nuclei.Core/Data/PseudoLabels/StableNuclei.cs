using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Core.Data.PseudoLabels;

/// <summary>
/// Which nuclei of one segmentation another view of the same image finds too: a nucleus is stable when some nucleus of
/// the other segmentation overlaps it with IoU ≥ the threshold. A pseudo-label that changes with the view (test-time
/// augmentation or not) is one the model is guessing at, however high its probability.
/// </summary>
internal static class StableNuclei
{
    /// <summary>Per label of <paramref name="labels"/> (index = label, 0 unused): whether <paramref name="other"/> matches it with IoU ≥ <paramref name="minIou"/>.</summary>
    public static bool[] Of(LabelImage labels, LabelImage other, double minIou)
    {
        var overlaps = ObjectOverlaps.Compute(labels, other);
        var stable = new bool[labels.MaxLabel() + 1];
        foreach (var (a, b, inter) in overlaps.Pairs)
            if (inter >= minIou * overlaps.Union(a, b, inter)) stable[a] = true;
        return stable;
    }
}
