namespace Nuclei.Core.Data.Checking;

/// <summary>A label problem that silently hurts training, as <c>nuclei data check</c> reports it.</summary>
internal enum ProblemKind
{
    Unreadable,
    NoMasks,
    WrongSize,
    EmptyMask,
    NonBinary,
    Overlap,
    Pieces,
    Holes,
    Small,
    Duplicate,
    Alpha,
}

/// <summary>The names reports use for each <see cref="ProblemKind"/>, and what each one means.</summary>
internal static class ProblemKindNames
{
    public static string Name(this ProblemKind kind) => kind switch
    {
        ProblemKind.Unreadable => "unreadable",
        ProblemKind.NoMasks => "no-masks",
        ProblemKind.WrongSize => "wrong-size",
        ProblemKind.EmptyMask => "empty-mask",
        ProblemKind.NonBinary => "non-binary",
        ProblemKind.Overlap => "overlap",
        ProblemKind.Pieces => "pieces",
        ProblemKind.Holes => "holes",
        ProblemKind.Small => "small",
        ProblemKind.Duplicate => "duplicate",
        ProblemKind.Alpha => "alpha",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Meaning(this ProblemKind kind) => kind switch
    {
        ProblemKind.Unreadable => "image or mask that cannot be read",
        ProblemKind.NoMasks => "image with no masks (or no label map)",
        ProblemKind.WrongSize => "mask of another size than its image",
        ProblemKind.EmptyMask => "mask with no foreground pixel",
        ProblemKind.NonBinary => "mask holding more than one non-zero value",
        ProblemKind.Overlap => "pixels claimed by two nuclei",
        ProblemKind.Pieces => "nucleus made of several disconnected pieces",
        ProblemKind.Holes => "nucleus with holes",
        ProblemKind.Small => "nucleus under the minimum size",
        ProblemKind.Duplicate => "mask identical to another mask of the image",
        ProblemKind.Alpha => "image with a transparent alpha channel (alpha is ignored when reading)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
