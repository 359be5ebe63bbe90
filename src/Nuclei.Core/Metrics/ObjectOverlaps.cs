using Nuclei.Core.Imaging;

namespace Nuclei.Core.Metrics;

/// <summary>
/// The sparse contingency table of two label maps, built in one pass over the pixels: the area of every true
/// and predicted object and the intersection of every (true, predicted) pair that shares a pixel. All the
/// object-level metrics (IoU matching, AP, F1) follow from it without touching the pixels again. Of two 3D stacks it
/// is the same table over voxels, so <see cref="DsbMetric"/> scores 3D nuclei as it scores 2D ones.
/// </summary>
internal sealed class ObjectOverlaps
{
    public IReadOnlyDictionary<int, long> TrueAreas { get; }
    public IReadOnlyDictionary<int, long> PredAreas { get; }
    /// <summary>Every pair of objects that overlap, with the number of shared pixels.</summary>
    public IReadOnlyList<(int True, int Pred, long Intersection)> Pairs { get; }

    ObjectOverlaps(Dictionary<int, long> t, Dictionary<int, long> p, List<(int, int, long)> pairs)
    {
        TrueAreas = t; PredAreas = p; Pairs = pairs;
    }

    public static ObjectOverlaps Compute(LabelImage truth, LabelImage pred)
    {
        if (truth.Height != pred.Height || truth.Width != pred.Width)
            throw new ArgumentException($"truth is {truth.Height}x{truth.Width} but prediction is {pred.Height}x{pred.Width}");
        return Compute([(truth.Data, pred.Data)]);
    }

    /// <summary>
    /// The table of two 3D label stacks: a nucleus is a label through all planes, its area a volume in voxels. Built
    /// plane by plane, so no array of the whole stack is made.
    /// </summary>
    public static ObjectOverlaps Compute(LabelStack truth, LabelStack pred)
    {
        if (truth.Size != pred.Size) throw new ArgumentException($"truth is {truth.Size} but prediction is {pred.Size}");
        return Compute(truth.Planes.Zip(pred.Planes, (t, p) => (t.Data, p.Data)));
    }

    /// <summary>One table over pieces of two label volumes (planes, or one whole image), piece by piece.</summary>
    static ObjectOverlaps Compute(IEnumerable<(int[] Truth, int[] Pred)> pieces)
    {
        var trueAreas = new Dictionary<int, long>();
        var predAreas = new Dictionary<int, long>();
        var inter = new Dictionary<long, long>();
        foreach (var (t, p) in pieces)
        {
            // Runs of equal values are common (objects are blobs), so count a run before touching a dictionary.
            int n = t.Length, i = 0;
            while (i < n)
            {
                int a = t[i], b = p[i], j = i + 1;
                while (j < n && t[j] == a && p[j] == b) j++;
                long run = j - i;
                if (a != 0) Add(trueAreas, a, run);
                if (b != 0) Add(predAreas, b, run);
                if (a != 0 && b != 0) Add(inter, ((long)a << 32) | (uint)b, run);
                i = j;
            }
        }
        var pairs = inter.Select(kv => ((int)(kv.Key >> 32), (int)(uint)kv.Key, kv.Value)).ToList();
        return new ObjectOverlaps(trueAreas, predAreas, pairs);
    }

    static void Add<TKey>(Dictionary<TKey, long> d, TKey key, long count) where TKey : notnull
    {
        ref long slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(d, key, out _);
        slot += count;
    }

    /// <summary>Union of a pair's areas: |T| + |P| − |T∩P|.</summary>
    public long Union(int trueLabel, int predLabel, long intersection) =>
        TrueAreas[trueLabel] + PredAreas[predLabel] - intersection;
}
