namespace Nuclei.Core.Output;

/// <summary>One line of <c>summary.csv</c>: the image id, how many nuclei were found and their mean area in pixels.</summary>
/// <param name="OverlayPath">null for an image segmented block-wise (no overlay is drawn of it)</param>
internal sealed record SegmentationSummaryRow(string Image, int Nuclei, double MeanAreaPx, string LabelsPath, string? OverlayPath)
{
    /// <summary>Every file written for the image (label map, overlay, exports, maps, error picture), full paths.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];
}
