namespace Nuclei.Core.Data;

/// <summary>One side (truth or predictions) of an evaluation: its 2D label maps and its 3D label stacks, by id.</summary>
internal sealed record LabelSide(IReadOnlyList<LabelEntry> Images, IReadOnlyList<LabelStackEntry> Stacks);
