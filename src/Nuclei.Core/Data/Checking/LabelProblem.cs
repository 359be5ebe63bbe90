namespace Nuclei.Core.Data.Checking;

/// <summary>One problem found by <see cref="DatasetChecker"/>: its kind, the image id, the file at fault and what is wrong.</summary>
internal sealed record LabelProblem(ProblemKind Kind, string Image, string File, string Detail);
