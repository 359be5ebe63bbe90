using System.Globalization;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Training;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Chosen post-processing values written into a checkpoint's saved configuration (the keys `segment` reads), as
/// `nuclei tune` and `nuclei adapt` write them: the thresholds of the three heads and the minimum nucleus size.
/// </summary>
internal static class TunedSettings
{
    /// <summary><paramref name="configuration"/> with the values of <paramref name="o"/> in place of its own.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Apply(IReadOnlyList<KeyValuePair<string, string>> configuration, PartitionOptions o)
    {
        var tuned = new Dictionary<string, string>
        {
            ["param.threshold"] = Invariant(o.ThresholdBody),
            ["param.threshold_edge"] = Invariant(o.ThresholdContour),
            ["param.threshold_mark"] = Invariant(o.ThresholdMarker),
            ["post.min_object_size"] = o.MinSize.ToString(CultureInfo.InvariantCulture),
            ["post.remove_objects"] = "True",
        };
        return configuration.Where(kv => !tuned.ContainsKey(SavedConfiguration.KeyOf(kv.Key))).Concat(tuned).ToList();
    }

    static string Invariant(float v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
