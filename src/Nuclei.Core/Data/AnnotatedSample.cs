namespace Nuclei.Core.Data;

/// <summary>
/// One image of an annotated dataset, not loaded yet. The annotation is either one binary mask file per
/// nucleus (<see cref="MaskPaths"/>, the DSB2018 layout) or a single instance label map (<see cref="LabelsPath"/>).
/// </summary>
public sealed record AnnotatedSample(string Id, string ImagePath, IReadOnlyList<string> MaskPaths, string? LabelsPath = null)
{
    /// <summary>True when the sample carries any annotation (masks or a label map); test-set folders have none.</summary>
    public bool HasAnnotation => MaskPaths.Count > 0 || LabelsPath is not null;
}
