using Nuclei.Core.Imaging;

namespace Nuclei.Core.Stacks;

/// <summary>
/// Joins the 2D nuclei of a z-stack's planes, each segmented on its own, into 3D nuclei, as Cellpose's
/// <c>stitch_threshold</c> does (Stringer et al. 2021, Cellpose, <c>cellpose.utils.stitch3D</c>): plane by plane from
/// the first, a nucleus of plane z+1 takes the 3D label of the plane-z nucleus it overlaps with intersection over union
/// (IoU) at least the threshold, else a new label. Each plane-z nucleus passes its label on to one nucleus at most: the
/// pairs are matched greedily by decreasing IoU (Cellpose instead gives each plane-z nucleus to its best-overlapping
/// successor and lets each successor take the best of those left; with a threshold of 0.5 or more both give the same
/// one-to-one matching, since a nucleus can overlap only one other with IoU over 0.5). Only adjacent planes are compared,
/// so a nucleus missed in one plane is two 3D nuclei. Labels run 1..N in order of first appearance.
/// </summary>
internal static class PlaneStitching
{
    /// <param name="planes">label maps of one size, plane 0 first</param>
    /// <param name="threshold">the least IoU that joins two nuclei of adjacent planes, in (0, 1]</param>
    /// <returns>new label maps, the planes' nuclei relabelled with their 3D labels</returns>
    public static IReadOnlyList<LabelImage> Stitch(IReadOnlyList<LabelImage> planes, double threshold)
    {
        if (!(threshold > 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "an IoU in (0, 1]");
        var stitched = new List<LabelImage>(planes.Count);
        int next = 0;
        foreach (var plane in planes)
        {
            if (stitched.Count > 0 && (plane.Height != stitched[0].Height || plane.Width != stitched[0].Width))
                throw new ArgumentException($"plane {stitched.Count + 1} is {plane.Height}x{plane.Width} but plane 1 is {stitched[0].Height}x{stitched[0].Width}");
            var labels = stitched.Count == 0 ? new Dictionary<int, int>() : Matches(stitched[^1], plane, threshold);
            foreach (int label in plane.Data.Where(v => v != 0).Distinct().Order())
                if (!labels.ContainsKey(label)) labels[label] = ++next;
            stitched.Add(new LabelImage(plane.Height, plane.Width, plane.Data.Select(v => v == 0 ? 0 : labels[v]).ToArray()));
        }
        return stitched;
    }

    /// <summary>The nuclei of <paramref name="current"/> that take a 3D label of <paramref name="previous"/> (already stitched): label → 3D label.</summary>
    static Dictionary<int, int> Matches(LabelImage previous, LabelImage current, double threshold)
    {
        var (before, after, shared) = Overlaps(previous, current);
        var pairs = shared
            .Select(p => (p.Key.Previous, p.Key.Current, IoU: (double)p.Value / (before[p.Key.Previous] + after[p.Key.Current] - p.Value)))
            .Where(p => p.IoU >= threshold)
            .OrderByDescending(p => p.IoU).ThenBy(p => p.Previous).ThenBy(p => p.Current);   // ties broken the same way every run
        var taken = new Dictionary<int, int>();
        var passedOn = new HashSet<int>();
        foreach (var (previousLabel, currentLabel, _) in pairs)
            if (!taken.ContainsKey(currentLabel) && passedOn.Add(previousLabel)) taken[currentLabel] = previousLabel;
        return taken;
    }

    /// <summary>Each nucleus' area in both planes and the pixels each pair of them shares.</summary>
    static (Dictionary<int, int> Before, Dictionary<int, int> After, Dictionary<(int Previous, int Current), int> Shared) Overlaps(
        LabelImage previous, LabelImage current)
    {
        var before = new Dictionary<int, int>();
        var after = new Dictionary<int, int>();
        var shared = new Dictionary<(int, int), int>();
        for (int i = 0; i < current.Data.Length; i++)
        {
            int a = previous.Data[i], b = current.Data[i];
            if (a != 0) before[a] = before.GetValueOrDefault(a) + 1;
            if (b != 0) after[b] = after.GetValueOrDefault(b) + 1;
            if (a != 0 && b != 0) shared[(a, b)] = shared.GetValueOrDefault((a, b)) + 1;
        }
        return (before, after, shared);
    }
}
