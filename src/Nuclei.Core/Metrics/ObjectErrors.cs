namespace Nuclei.Core.Metrics;

/// <summary>
/// Where one image's prediction goes wrong, by object (see <see cref="ErrorAnalysis"/> for the definitions):
/// the (true, predicted) pairs matched at IoU &gt; 0.5, the predicted objects matching nothing (false positives),
/// the true objects matched by nothing (misses), the predicted objects that merge several true ones and the true
/// objects split into several predicted ones. A merge or split also shows up as misses and false positives.
/// </summary>
internal sealed record ObjectErrors(
    IReadOnlyList<(int True, int Pred)> Matches,
    IReadOnlyList<int> FalsePositives,
    IReadOnlyList<int> Misses,
    IReadOnlyList<int> Merges,
    IReadOnlyList<int> Splits)
{
    public int TruePositives => Matches.Count;

    public static readonly ObjectErrors None = new([], [], [], [], []);

    /// <summary>Sums the counts of several images (labels are not kept: they mean nothing across images).</summary>
    public static ErrorCounts Total(IEnumerable<ObjectErrors> errors) =>
        errors.Aggregate(new ErrorCounts(0, 0, 0, 0, 0), (a, e) => a + e.Counts);

    public ErrorCounts Counts => new(TruePositives, FalsePositives.Count, Misses.Count, Merges.Count, Splits.Count);
}

/// <summary>The numbers of <see cref="ObjectErrors"/>, for one image or summed over many.</summary>
internal readonly record struct ErrorCounts(int TruePositives, int FalsePositives, int Misses, int Merges, int Splits)
{
    public static ErrorCounts operator +(ErrorCounts a, ErrorCounts b) =>
        new(a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.Misses + b.Misses, a.Merges + b.Merges, a.Splits + b.Splits);
}
