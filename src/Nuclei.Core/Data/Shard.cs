using System.Globalization;
using Nuclei.Core.Settings;

namespace Nuclei.Core.Data;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based, as typed: <c>--shard 2/8</c>) of a batch, for job arrays:
/// the images are sorted by id (ordinal) and dealt round-robin, so image number i (0-based) goes to shard
/// <c>i mod Count + 1</c>. Every image lands in exactly one shard, shard sizes differ by at most one, and the
/// assignment depends only on the set of ids, not on the order the inputs were given in (every shard must be given
/// the same inputs).
/// </summary>
internal sealed record Shard(int Index, int Count)
{
    /// <summary>Parses <c>K/N</c> with 1 ≤ K ≤ N.</summary>
    /// <exception cref="NucleiInputException">the text is not of that form.</exception>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        throw new NucleiInputException(null, $"{Setting.Shard} must be K/N with 1 <= K <= N (e.g. 2/8), got '{text}'");
    }

    /// <summary>The images of this shard, in id order.</summary>
    public IReadOnlyList<InputImage> Select(IEnumerable<InputImage> images) =>
        images.OrderBy(i => i.Id, StringComparer.Ordinal)
            .Where((_, position) => position % Count == Index - 1)
            .ToList();

    public override string ToString() => $"{Index}/{Count}";
}
