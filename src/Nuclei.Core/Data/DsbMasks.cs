using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data;

/// <summary>The DSB2018 layout's masks: one 0/1 image per nucleus of a label map (written as 0/255 8-bit PNGs).</summary>
public static class DsbMasks
{
    /// <summary>Each label of the map (in increasing order) with its mask as a 1-channel 0/1 image.</summary>
    public static IEnumerable<(int Label, FloatImage Mask)> Split(LabelImage labels)
    {
        int max = labels.MaxLabel();
        var present = new bool[max + 1];
        foreach (int v in labels.Data) present[v] = true;
        for (int label = 1; label <= max; label++)
        {
            if (!present[label]) continue;
            var mask = new FloatImage(labels.Height, labels.Width, 1);
            for (int i = 0; i < labels.Data.Length; i++) if (labels.Data[i] == label) mask.Data[i] = 1f;
            yield return (label, mask);
        }
    }
}
