using Nuclei.Core.Metrics;
using Nuclei.Core.Report;

namespace Nuclei.Core.Output;

/// <summary>
/// What report.html shows of one image, kept in its record (<see cref="ImageRecord.Report"/>) so the report can be
/// rebuilt from the folder's records like the CSVs: its nuclei's areas and intensities, a thumbnail of its overlay
/// (a data URI), how long it took to segment (null when unknown), its evaluation when it was written with a truth, and
/// how it was segmented (scale, stain, nuclei removed on its border; null when not known, as for partition).
/// </summary>
internal sealed record ReportFacts(NucleusStatistics Nuclei, string Thumbnail, double? Seconds = null, ImageEvaluation? Evaluation = null,
    ImageSegmentation? Segmentation = null);
