using Nuclei.Core.Data.Describing;
using Nuclei.Core.Metrics;
using ScottPlot;

namespace Nuclei.Core.Report;

/// <summary>The report's plots, drawn with ScottPlot and returned as PNG data URIs (the report fetches nothing).</summary>
internal static class ReportPlots
{
    const int Width = 560, Height = 320;

    /// <summary>Histogram of one number per image (nuclei per image, mean AP per image).</summary>
    public static string Histogram(string title, string xLabel, IReadOnlyList<double> values)
    {
        var plot = new Plot();
        if (values.Count > 0)
        {
            var bins = HistogramBins.Of(values, Math.Clamp(values.Count / 3, 5, 40));
            plot.Add.Bars(bins.Counts.Select((count, b) => new Bar { Position = bins.Centre(b), Value = count, Size = bins.Width }).ToList());
            plot.Axes.SetLimitsX(bins.Min - bins.Width / 2, bins.Max + bins.Width / 2);   // whole first and last bars
            plot.Axes.Margins(bottom: 0);
        }
        return Finish(plot, title, xLabel, "images");
    }

    /// <summary>
    /// One box per image (quartiles, whiskers at the 5th and 95th percentiles) of a per-nucleus number, images ordered
    /// by their median so the spread across images reads at a glance, each named under its box (shortened: <see cref="ShortName"/>).
    /// </summary>
    public static string PerImageBoxes(string title, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> perImage)
    {
        var plot = new Plot();
        var ordered = perImage.Where(i => i.Values.Count > 0).Select(i => (i.Name, Values: i.Values.Order().ToArray()))
            .OrderBy(i => Percentile.OfSorted(i.Values, 0.5)).ToList();
        var boxes = ordered.Select((i, k) => new Box
        {
            Position = k + 1,
            WhiskerMin = Percentile.OfSorted(i.Values, 0.05), BoxMin = Percentile.OfSorted(i.Values, 0.25), BoxMiddle = Percentile.OfSorted(i.Values, 0.5),
            BoxMax = Percentile.OfSorted(i.Values, 0.75), WhiskerMax = Percentile.OfSorted(i.Values, 0.95),
        }).ToList();
        if (boxes.Count > 0)
        {
            plot.Add.Boxes(boxes);
            var ticks = BoxTicks(ordered.Select(i => i.Name).ToList());
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => t.Position).ToArray(), ticks.Select(t => t.Label).ToArray());
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 95;   // room for the slanted names above the axis title (ScottPlot does not measure them)
        }
        return Finish(plot, title, "image (ordered by median)", yLabel);
    }

    /// <summary>Most images the box plots name; with more, every k-th box is named so the names do not overlap.</summary>
    public const int MaxNamedBoxes = 30;

    /// <summary>The box plots' ticks: box k (from 1) named by its image, every box up to <see cref="MaxNamedBoxes"/>, else evenly spaced ones.</summary>
    public static IReadOnlyList<(double Position, string Label)> BoxTicks(IReadOnlyList<string> names)
    {
        int step = (names.Count + MaxNamedBoxes - 1) / MaxNamedBoxes;
        return names.Select((name, k) => (Position: (double)(k + 1), Label: ShortName(name))).Where((_, k) => k % Math.Max(1, step) == 0).ToList();
    }

    /// <summary>Longest image name shown whole under a box.</summary>
    public const int NameLength = 12;

    /// <summary>An image name as a box's label: whole when short, else its first characters and "…" (DSB ids are 64 hex digits).</summary>
    public static string ShortName(string name)
    {
        string last = name[(name.LastIndexOf('/') + 1)..];   // an id found by a recursive scan: its file name
        return last.Length <= NameLength ? last : last[..(NameLength - 1)] + "…";
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
