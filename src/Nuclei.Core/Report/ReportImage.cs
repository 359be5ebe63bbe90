using Nuclei.Core.Metrics;

namespace Nuclei.Core.Report;

/// <summary>
/// One image of a report: its nuclei, how long it took (null when unknown), a link to its full-size overlay
/// (relative to the report) and a thumbnail (a data URI), its evaluation when there was a truth to compare with, and
/// how it was segmented (null when not known).
/// </summary>
internal sealed record ReportImage(string Id, NucleusStatistics Nuclei, double? Seconds = null,
    string? OverlayLink = null, string? Thumbnail = null, ImageEvaluation? Evaluation = null, Output.ImageSegmentation? Segmentation = null);

/// <summary>An image the run could not process, with the message the user saw.</summary>
internal sealed record ReportFailure(string Item, string Message);

/// <summary>One of the worst-scored images drawn with its errors: a link to the full picture and its thumbnail.</summary>
internal sealed record WorstImage(string Id, double MeanAp, string Link, string Thumbnail);

/// <summary>Everything a report shows.</summary>
/// <param name="Title">the heading, e.g. "nuclei segment"</param>
/// <param name="Description">how the run was made (model, options, inputs)</param>
/// <param name="Run">the output folder's run record (its settings and models), when it has one</param>
internal sealed record RunReport(string Title, string Description, IReadOnlyList<ReportImage> Images,
    IReadOnlyList<ReportFailure> Failures, IReadOnlyList<WorstImage> Worst, Output.RunRecord? Run = null)
{
    public IEnumerable<ImageEvaluation> Evaluations => Images.Select(i => i.Evaluation).OfType<ImageEvaluation>();
}
