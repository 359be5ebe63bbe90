using Nuclei.Core.Imaging;

namespace Nuclei.Core.Metrics;

/// <summary>Foreground-vs-background agreement, ignoring which object a pixel belongs to (semantic quality).</summary>
internal readonly record struct PixelOverlap(long Intersection, long TrueArea, long PredArea)
{
    /// <summary>|T∩P| / |T∪P|; 1 when both are empty.</summary>
    public double Iou => TrueArea + PredArea - Intersection == 0 ? 1.0 : (double)Intersection / (TrueArea + PredArea - Intersection);

    /// <summary>2|T∩P| / (|T| + |P|); 1 when both are empty.</summary>
    public double Dice => TrueArea + PredArea == 0 ? 1.0 : 2.0 * Intersection / (TrueArea + PredArea);

    public static PixelOverlap Compute(LabelImage truth, LabelImage pred)
    {
        if (truth.Height != pred.Height || truth.Width != pred.Width)
            throw new ArgumentException($"truth is {truth.Height}x{truth.Width} but prediction is {pred.Height}x{pred.Width}");
        long inter = 0, t = 0, p = 0;
        int[] a = truth.Data, b = pred.Data;
        for (int i = 0; i < a.Length; i++)
        {
            bool ta = a[i] != 0, pb = b[i] != 0;
            if (ta) t++;
            if (pb) p++;
            if (ta && pb) inter++;
        }
        return new PixelOverlap(inter, t, p);
    }

    public static PixelOverlap operator +(PixelOverlap x, PixelOverlap y) =>
        new(x.Intersection + y.Intersection, x.TrueArea + y.TrueArea, x.PredArea + y.PredArea);
}
