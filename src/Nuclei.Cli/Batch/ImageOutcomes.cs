using System.Collections.Concurrent;
using Nuclei.Core.Output;
using Nuclei.Core.Staining;
using Nuclei.Torch.Inference;

namespace Nuclei.Cli.Batch;

/// <summary>One image of a `segment` or `partition` run as `--json` reports it: what was written, or why not.</summary>
/// <param name="DiameterPx">segment with a model: the nucleus diameter the image was scaled by (given with --diameter PX or estimated by auto; null when none)</param>
/// <param name="ScaleFactor">segment with a model: the factor the image was resized by before the network saw it (1: its own scale)</param>
/// <param name="Stain">segment with a model: what the network was shown (none, he or ihc; --stain auto settled for the image)</param>
/// <param name="RemovedOnEdges">segment --exclude-on-edges: the nuclei touching the image border that were removed (null without it)</param>
internal sealed record ImageOutcome(string Path, string Id, IReadOnlyList<string> Outputs, int? Nuclei, double? Seconds, string? Error, bool Skipped = false,
    double? DiameterPx = null, double? ScaleFactor = null, string? Stain = null, int? RemovedOnEdges = null);

/// <summary>The `--json` summary of a `segment` or `partition` run.</summary>
internal sealed record BatchSummary(
    string Command, string Out, int Images, int Written, int Failed, int Skipped, int ExitCode,
    IReadOnlyList<ImageOutcome> Results, IReadOnlyList<BatchFailure> OtherErrors,
    string Summary, string? Csv, string? Report, double? MeanAp = null);

/// <summary>
/// Collects what each image of a batch came to (safe from parallel work), keyed by the name the batch gives the item,
/// so failures listed by <see cref="BatchRunner"/> join the images they belong to.
/// </summary>
internal sealed class ImageOutcomes
{
    readonly ConcurrentDictionary<string, ImageOutcome> _written = new(StringComparer.Ordinal);

    /// <param name="scale">the scale a model segmented the image at (null: the classical method, or partition)</param>
    /// <param name="stain">what a model was shown of the image (null: the classical method, or partition)</param>
    /// <param name="removedOnEdges">the nuclei removed on the image border (null: not asked for)</param>
    public void Written(string key, string path, SegmentationSummaryRow row, double seconds, ImageScale? scale = null, Stain? stain = null,
        int? removedOnEdges = null) =>
        _written[key] = new ImageOutcome(path, row.Image, row.Outputs, row.Nuclei, Math.Round(seconds, 3), null,
            DiameterPx: scale?.Diameter is double d ? Math.Round(d, 2) : null, ScaleFactor: scale is null ? null : Math.Round(scale.Factor, 4),
            Stain: stain?.Name(), RemovedOnEdges: removedOnEdges);

    /// <summary>The images written so far, their nuclei, and the nuclei removed on their border (null when no image says).</summary>
    public (int Images, long Nuclei, long? RemovedOnEdges) WrittenTotals()
    {
        var written = _written.Values.ToList();
        var removed = written.Where(w => w.RemovedOnEdges is not null).ToList();
        return (written.Count, written.Sum(w => (long)(w.Nuclei ?? 0)), removed.Count == 0 ? null : removed.Sum(w => (long)w.RemovedOnEdges!.Value));
    }

    /// <summary>The files of the images written so far (a file segmented plane by plane once), in ordinal order.</summary>
    public IReadOnlyList<string> WrittenFiles() =>
        _written.Values.Select(w => w.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every image in input order: written, failed (with the message) or skipped (--resume).</summary>
    public BatchSummary Summarise(string command, SegmentationOutputWriter writer, IReadOnlyList<(string Key, string Path, string Id)> items,
        IReadOnlyList<(string Path, string Id)> skipped, IReadOnlyList<BatchFailure> failures, int exitCode, double? meanAp = null)
    {
        var failed = failures.GroupBy(f => f.Item, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Message, StringComparer.Ordinal);
        var results = items.Select(i => _written.TryGetValue(i.Key, out var done) ? done
                : new ImageOutcome(i.Path, i.Id, [], null, null, failed.GetValueOrDefault(i.Key, "not written")))
            .Concat(skipped.Select(s => new ImageOutcome(s.Path, s.Id, [], null, null, null, Skipped: true)))
            .ToList();
        var keys = items.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        return new BatchSummary(command, writer.OutputDir, results.Count, results.Count(r => r.Error is null && !r.Skipped),
            results.Count(r => r.Error is not null), skipped.Count, exitCode, results,
            failures.Where(f => !keys.Contains(f.Item)).ToList(), writer.SummaryPath, writer.SubmissionCsvPath, writer.Report?.HtmlPath, meanAp);
    }
}
