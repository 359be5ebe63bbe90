namespace Nuclei.Core.Imaging;

/// <summary>Per-nucleus erosion of a label map: the deliberately degraded copy the metric is checked against.</summary>
internal static class LabelErosion
{
    /// <summary>
    /// Erodes every nucleus once with a 3×3 cross: a pixel keeps its label only when its four neighbours share it.
    /// Pixels outside the image count as background, so the one-pixel frame always becomes 0.
    /// </summary>
    public static LabelImage ErodeEach(LabelImage labels)
    {
        int h = labels.Height, w = labels.Width;
        var d = labels.Data;
        var o = new LabelImage(h, w);
        for (int y = 1; y < h - 1; y++)
        for (int x = 1; x < w - 1; x++)
        {
            int i = y * w + x, l = d[i];
            if (l != 0 && d[i - 1] == l && d[i + 1] == l && d[i - w] == l && d[i + w] == l) o.Data[i] = l;
        }
        return o;
    }
}
