namespace Nuclei.Core.Metrics;

/// <summary>One image's result in an evaluation: the competition score and the pixel-level overlap.</summary>
public sealed record ImageEvaluation(string Id, ImageScore Score, PixelOverlap Pixels);
