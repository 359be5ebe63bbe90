using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;

namespace Nuclei.Core.Data;

/// <summary>The DSB2018 layout's masks: one 0/1 image per nucleus of a label map (written as 0/255 8-bit PNGs).</summary>
internal static class DsbMasks
{
    /// <summary>Each label of the map (in increasing order) with its mask as a 1-channel 0/1 image.</summary>
    public static IEnumerable<(int Label, FloatImage Mask)> Split(LabelImage labels)
    {
        foreach (var region in LabelRegions.Of(labels)) // one pass over the map, not one per label
        {
            var mask = new FloatImage(labels.Height, labels.Width, 1);
            foreach (int i in region.Pixels) mask.Data[i] = 1f;
            yield return (region.Label, mask);
        }
    }
}
