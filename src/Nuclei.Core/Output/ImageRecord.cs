using Nuclei.Core.Measurements;

namespace Nuclei.Core.Output;

/// <summary>
/// What <see cref="SegmentationOutputWriter"/> wrote for one image, saved beside the outputs once they are all in
/// place (see <see cref="ImageRecords"/>): the summary row, the run-length rows of the submission CSV, the nuclei's
/// measurements (in pixels; null when not asked for) for measurements.csv, what report.html shows of it (null without --report), and the output files with their sizes, so a later run can tell complete outputs from those of an interrupted one.
/// A record with <see cref="Complete"/> false is written just before the files are renamed into place: it marks
/// them as ours (a later run may replace them) while saying they may be incomplete.
/// </summary>
internal sealed record ImageRecord(
    string Image, int Nuclei, double MeanAreaPx, IReadOnlyList<string> EncodedPixels, IReadOnlyList<RecordedFile> Files,
    bool Complete = true, IReadOnlyList<NucleusMeasurement>? Measurements = null, ReportFacts? Report = null);

/// <summary>An output file of an image: its name relative to the output folder and its size in bytes.</summary>
internal sealed record RecordedFile(string Name, long Bytes);
