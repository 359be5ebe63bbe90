namespace Nuclei.Core.Output;

/// <summary>
/// How one image was segmented where it differs from image to image, kept for the report's per-image table.
/// </summary>
/// <param name="DiameterPx">the nucleus diameter the image was scaled by (given, or estimated by --diameter auto); null: none</param>
/// <param name="ScaleFactor">the factor the image was resized by before the network saw it (1: its own scale); null: the classical method</param>
/// <param name="Stain">what the network was shown (none, he or ihc); null: the classical method</param>
/// <param name="RemovedOnEdges">the nuclei touching the image border that were removed; null: not asked for</param>
internal sealed record ImageSegmentation(double? DiameterPx = null, double? ScaleFactor = null, string? Stain = null, int? RemovedOnEdges = null);
