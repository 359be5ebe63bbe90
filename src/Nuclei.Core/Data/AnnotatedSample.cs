namespace Nuclei.Core.Data;

/// <summary>
/// One image of an annotated dataset, not loaded yet. The annotation is either one binary mask file per
/// nucleus (<see cref="MaskPaths"/>, the DSB2018 layout) or a single instance label map (<see cref="LabelsPath"/>).
/// A sample folder that cannot be read (no image, a broken or looping link) is kept with its <see cref="Problem"/>,
/// so the one sample fails where it is used and the rest of the dataset goes on.
/// </summary>
internal sealed record AnnotatedSample(string Id, string ImagePath, IReadOnlyList<string> MaskPaths, string? LabelsPath = null,
    string? Problem = null)
{
    /// <summary>Throws the sample's <see cref="Problem"/> as an input error naming its path, if it has one.</summary>
    public void ThrowIfUnreadable()
    {
        if (Problem is not null) throw new NucleiInputException(ImagePath, Problem);
    }

    /// <summary>True when the sample carries any annotation (masks or a label map); test-set folders have none.</summary>
    public bool HasAnnotation => MaskPaths.Count > 0 || LabelsPath is not null;
}
