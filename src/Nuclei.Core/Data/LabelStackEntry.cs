namespace Nuclei.Core.Data;

/// <summary>A 3D label stack known by id: the multi-page TIFF at <see cref="Source"/>, read by <see cref="IO.LabelStackFile"/>.</summary>
internal sealed record LabelStackEntry(string Id, string Source);
