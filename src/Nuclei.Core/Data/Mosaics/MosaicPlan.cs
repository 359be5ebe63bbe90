using Nuclei.Core.Data.Splitting;

namespace Nuclei.Core.Data.Mosaics;

/// <summary>
/// Which images make each 2×2 mosaic: images of one group (an acquisition: same kind and size, so tiles fit without
/// resizing) are shuffled with the given random seed and taken four at a time, each image used once; a group's remainder is left out.
/// Groups are visited in ordinal order, so a seed always gives the same plan.
/// </summary>
internal static class MosaicPlan
{
    public const int Tiles = 4;

    /// <returns>per mosaic, its four image ids in reading order (top-left, top-right, bottom-left, bottom-right)</returns>
    public static IReadOnlyList<string[]> Of(IReadOnlyList<SplitItem> items, int seed)
    {
        var random = new Random(seed);
        var mosaics = new List<string[]>();
        foreach (var group in items.GroupBy(i => i.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ids = group.Select(i => i.Id).Order(StringComparer.Ordinal).ToArray();
            random.Shuffle(ids);
            for (int k = 0; k + Tiles <= ids.Length; k += Tiles) mosaics.Add(ids[k..(k + Tiles)]);
        }
        return mosaics;
    }
}
