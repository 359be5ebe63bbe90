namespace Nuclei.Core.Data.Splitting;

/// <summary>
/// Seeded splits that are stratified (each kind is split on its own, so every side gets its share of each kind) and
/// grouped (a group — an acquisition — never straddles two sides), in the manner of scikit-learn's
/// StratifiedGroupKFold. Kinds and groups are visited in ordinal order, so a seed always gives the same split.
/// </summary>
internal static class StratifiedGroupSplit
{
    /// <summary>
    /// Holds out about <paramref name="validFraction"/> of each kind: the kind's groups are shuffled and each one joins the
    /// validation side when that brings its size closer to the target. Returns the validation ids.
    /// </summary>
    public static HashSet<string> Holdout(IReadOnlyList<SplitItem> items, double validFraction, int seed)
    {
        if (validFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validFraction), validFraction, "must be in [0, 1)");
        var random = new Random(seed);
        var valid = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in Kinds(items))
        {
            var groups = Groups(kind);
            random.Shuffle(groups);
            double target = kind.Count() * validFraction;
            int taken = 0;
            foreach (var g in groups)
            {
                if (Math.Abs(taken + g.Length - target) >= Math.Abs(taken - target)) continue;
                taken += g.Length;
                valid.UnionWith(g.Select(i => i.Id));
            }
        }
        return valid;
    }

    /// <summary>
    /// Assigns every image a fold 0..K-1: per kind, the groups (shuffled, then largest first) go one by one to the fold
    /// holding the fewest images of that kind (ties: fewest images overall, then the lowest fold).
    /// </summary>
    public static Dictionary<string, int> Folds(IReadOnlyList<SplitItem> items, int folds, int seed)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "k-fold needs at least 2 folds");
        var random = new Random(seed);
        var fold = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = new int[folds];
        foreach (var kind in Kinds(items))
        {
            var groups = Groups(kind);
            random.Shuffle(groups);
            var ofKind = new int[folds];
            foreach (var g in groups.OrderByDescending(g => g.Length)) // stable: equal sizes keep the shuffled order
            {
                int f = Enumerable.Range(0, folds).OrderBy(k => ofKind[k]).ThenBy(k => total[k]).ThenBy(k => k).First();
                ofKind[f] += g.Length;
                total[f] += g.Length;
                foreach (var item in g) fold[item.Id] = f;
            }
        }
        return fold;
    }

    static IEnumerable<IGrouping<string, SplitItem>> Kinds(IReadOnlyList<SplitItem> items) =>
        items.GroupBy(i => i.Kind).OrderBy(g => g.Key, StringComparer.Ordinal);

    static SplitItem[][] Groups(IEnumerable<SplitItem> kind) =>
        kind.GroupBy(i => i.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(i => i.Id, StringComparer.Ordinal).ToArray()).ToArray();
}
