using Nuclei.Core.IO;
using OpenCvSharp;

namespace Nuclei.Core.Output;

/// <summary>
/// A PNG of several distributions on one chart: for each series, the share of its values in each bin (bins on a
/// log2 scale, so nucleus areas from 10 to 10,000 px fit), drawn as a coloured line with the series' count in the legend.
/// </summary>
internal static class HistogramPlot
{
    static readonly Scalar[] Colours = { new(40, 120, 230), new(200, 60, 160), new(60, 60, 60), new(40, 170, 40), new(230, 120, 40) }; // B,G,R

    public static void Write(string path, string title, string xLabel, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        const int W = 800, H = 480, L = 60, R = 30, T = 50, B = 60, Bins = 24;
        using var img = new Mat(H, W, MatType.CV_8UC3, Scalar.White);
        int pw = W - L - R, ph = H - T - B;
        Cv2.Rectangle(img, new Point(L, T), new Point(L + pw, T + ph), Scalar.Black);
        var all = series.SelectMany(s => s.Values).Where(v => v > 0).ToList();
        double lo = all.Count == 0 ? 0 : Math.Floor(Math.Log2(all.Min())), hi = all.Count == 0 ? 1 : Math.Ceiling(Math.Log2(all.Max()) + 1e-9);
        if (hi <= lo) hi = lo + 1;
        var shares = series.Select(s => Shares(s.Values, lo, hi, Bins)).ToList();
        double top = Math.Max(1e-9, shares.SelectMany(x => x).DefaultIfEmpty(0).Max());
        int X(int bin) => L + (int)(pw * (bin + 0.5) / Bins);
        int Y(double share) => T + ph - (int)(ph * share / top);
        for (int s = 0; s < series.Count; s++)
        {
            var colour = Colours[s % Colours.Length];
            for (int b = 0; b < Bins; b++)
            {
                var p = new Point(X(b), Y(shares[s][b]));
                if (b > 0) Cv2.Line(img, new Point(X(b - 1), Y(shares[s][b - 1])), p, colour, 2, LineTypes.AntiAlias);
            }
            Cv2.PutText(img, $"{series[s].Name} ({series[s].Values.Count})", new Point(L + 10 + 220 * s, T - 12), HersheyFonts.HersheySimplex, 0.5, colour, 1, LineTypes.AntiAlias);
        }
        for (double e = lo; e <= hi; e++)
        {
            int x = L + (int)(pw * (e - lo) / (hi - lo));
            Cv2.Line(img, new Point(x, T + ph), new Point(x, T + ph + 4), Scalar.Black);
            Cv2.PutText(img, Math.Pow(2, e).ToString("0"), new Point(x - 10, T + ph + 18), HersheyFonts.HersheySimplex, 0.4, Scalar.Black);
        }
        for (int k = 0; k <= 4; k++)
            Cv2.PutText(img, (top * k / 4).ToString("0.00"), new Point(8, Y(top * k / 4) + 4), HersheyFonts.HersheySimplex, 0.4, Scalar.Black);
        Cv2.PutText(img, title, new Point(L, 20), HersheyFonts.HersheySimplex, 0.6, Scalar.Black, 1, LineTypes.AntiAlias);
        Cv2.PutText(img, $"{xLabel} (log scale); y: share of the series", new Point(L + pw / 2 - 160, H - 15), HersheyFonts.HersheySimplex, 0.5, Scalar.Black);
        AtomicFile.Write(path, tmp => Cv2.ImWrite(tmp, img));
    }

    /// <summary>Share of the values in each of <paramref name="bins"/> equal bins of log2(value) over [lo, hi).</summary>
    static double[] Shares(IReadOnlyList<double> values, double lo, double hi, int bins)
    {
        var counts = new double[bins];
        foreach (double v in values)
        {
            if (v <= 0) continue;
            int b = (int)((Math.Log2(v) - lo) / (hi - lo) * bins);
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }
        if (values.Count > 0) for (int b = 0; b < bins; b++) counts[b] /= values.Count;
        return counts;
    }
}
