using Nuclei.Core.Data.Describing;
using Nuclei.Core.Metrics;
using ScottPlot;

namespace Nuclei.Core.Report;

/// <summary>The report's plots, drawn with ScottPlot and returned as PNG data URIs (the report fetches nothing).</summary>
public static class ReportPlots
{
    const int Width = 560, Height = 320;

    /// <summary>Histogram of one number per image (nuclei per image, mean AP per image).</summary>
    public static string Histogram(string title, string xLabel, IReadOnlyList<double> values)
    {
        var plot = new Plot();
        if (values.Count > 0)
        {
            double min = values.Min(), max = values.Max();
            if (!(max > min)) max = min + 1;
            // the top edge just above the largest value, so it falls in the last bin rather than past it
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(Math.Clamp(values.Count / 3, 5, 40), min, max + (max - min) * 1e-6);
            histogram.AddRange(values);
            plot.Add.Histogram(histogram);
            double bin = histogram.FirstBinSize;
            plot.Axes.SetLimitsX(histogram.Edges.First() - bin / 2, histogram.Edges.Last() + bin / 2); // whole first and last bars
            plot.Axes.Margins(bottom: 0);
        }
        return Finish(plot, title, xLabel, "images");
    }

    /// <summary>
    /// One box per image (quartiles, whiskers at the 5th and 95th percentiles) of a per-nucleus number, images ordered
    /// by their median so the spread across images reads at a glance however many there are.
    /// </summary>
    public static string PerImageBoxes(string title, string yLabel, IReadOnlyList<IReadOnlyList<double>> perImage)
    {
        var plot = new Plot();
        var boxes = perImage.Where(v => v.Count > 0).Select(v => v.Order().ToArray()).OrderBy(v => Percentile.OfSorted(v, 0.5))
            .Select((v, i) => new Box
            {
                Position = i + 1,
                WhiskerMin = Percentile.OfSorted(v, 0.05), BoxMin = Percentile.OfSorted(v, 0.25), BoxMiddle = Percentile.OfSorted(v, 0.5),
                BoxMax = Percentile.OfSorted(v, 0.75), WhiskerMax = Percentile.OfSorted(v, 0.95),
            }).ToList();
        if (boxes.Count > 0) plot.Add.Boxes(boxes);
        return Finish(plot, title, "image (ordered by median)", yLabel);
    }

    /// <summary>Precision TP/(TP+FP) and recall TP/(TP+FN) of all objects at each IoU threshold.</summary>
    public static string PrecisionRecall(IReadOnlyList<ThresholdCounts> totals)
    {
        var plot = new Plot();
        double[] xs = totals.Select(t => t.Threshold).ToArray();
        var precision = plot.Add.Scatter(xs, totals.Select(PrecisionOf).ToArray());
        precision.LegendText = "precision";
        var recall = plot.Add.Scatter(xs, totals.Select(RecallOf).ToArray());
        recall.LegendText = "recall";
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend();
        return Finish(plot, "Precision and recall per IoU threshold", "IoU threshold", "");
    }

    public static double PrecisionOf(ThresholdCounts t) => Ratio(t.TruePositives, t.TruePositives + t.FalsePositives);
    public static double RecallOf(ThresholdCounts t) => Ratio(t.TruePositives, t.TruePositives + t.FalseNegatives);
    static double Ratio(int a, int b) => b == 0 ? 1.0 : (double)a / b;

    static string Finish(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return "data:image/png;base64," + Convert.ToBase64String(plot.GetImageBytes(Width, Height, ImageFormat.Png));
    }
}
