using Nuclei.Core.Imaging;
using Nuclei.Core.Report;

namespace Nuclei.Core.Output;

/// <summary>
/// The report of an output folder, built from its image records (those that hold <see cref="ReportFacts"/>): every
/// image segmented with --report into the folder, by this run or an earlier one, with this run's failures. The worst
/// images link to their error pictures, written with each image (<c>report_files/&lt;id&gt;.errors.png</c>); the
/// settings and models come from the folder's <c>run.json</c> (<see cref="RunRecordFile"/>) when there is one.
/// </summary>
internal static class FolderReport
{
    public static RunReport Of(ReportBuilder builder, string outputDir, IReadOnlyList<ImageRecord> records, IReadOnlyList<ReportFailure> failures)
    {
        var shown = records.Where(r => r.Report is not null).ToList();
        var images = shown.Select(r => new ReportImage(r.Image, r.Report!.Nuclei, r.Report.Seconds,
            Link(OutputLayout.OverlayFileName(r.Image)), r.Report.Thumbnail, r.Report.Evaluation, r.Report.Segmentation)).ToList();
        var worst = shown.Where(r => r.Report!.Evaluation is not null)
            .OrderBy(r => r.Report!.Evaluation!.Score.MeanAp).ThenBy(r => r.Image, StringComparer.Ordinal)
            .Take(ReportBuilder.WorstCount)
            .Select(r => Worst(builder, outputDir, r)).ToList();
        return new RunReport(builder.Title, builder.Description, images, failures, worst, RunRecordFile.Read(outputDir));
    }

    static WorstImage Worst(ReportBuilder builder, string outputDir, ImageRecord record)
    {
        string name = builder.AssetsFolderName + "/" + record.Image + ReportBuilder.ErrorPictureSuffix;
        using var picture = ImageIO.Decode(Path.Combine(outputDir, name));
        return new WorstImage(record.Image, record.Report!.Evaluation!.Score.MeanAp, Link(name), Thumbnail.DataUri(picture));
    }

    /// <summary>A path relative to the report as a link: each segment escaped, so any image id works.</summary>
    internal static string Link(string relative) => string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));
}
