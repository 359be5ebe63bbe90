using Nuclei.Core.Imaging;

namespace Nuclei.Core.PostProcessing;

/// <summary>Regions whose truth is unknown: objects lying mostly on them are neither right nor wrong, so they are left out.</summary>
internal static class IgnoredPixels
{
    /// <summary><paramref name="labels"/> without the objects at least half of whose pixels are ignored, renumbered 1..N.</summary>
    public static LabelImage DropCovered(LabelImage labels, bool[] ignored)
    {
        if (ignored.Length != labels.Data.Length) throw new ArgumentException("the ignored mask must have one value per pixel");
        int max = labels.MaxLabel();
        var area = new int[max + 1];
        var covered = new int[max + 1];
        for (int i = 0; i < ignored.Length; i++)
        {
            int l = labels.Data[i];
            area[l]++;
            if (ignored[i]) covered[l]++;
        }
        var data = new int[labels.Data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            int l = labels.Data[i];
            if (l > 0 && 2 * covered[l] < area[l]) data[i] = l;
        }
        RelabelSequential.Apply(data);
        return new LabelImage(labels.Height, labels.Width, data);
    }
}
