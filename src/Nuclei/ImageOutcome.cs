namespace Nuclei;

/// <summary>One image of <see cref="NucleiSegmenter.SegmentMany"/>: its result, or the error that stopped it (the batch goes on).</summary>
public sealed record ImageOutcome(string Path, SegmentationResult? Result, Exception? Error);

/// <summary>Progress of <see cref="NucleiSegmenter.SegmentMany"/>: <paramref name="Done"/> of <paramref name="Total"/> images, the last one <paramref name="Path"/>.</summary>
public sealed record SegmentationProgress(int Done, int Total, string Path);
