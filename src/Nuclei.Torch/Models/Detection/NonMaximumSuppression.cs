using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Greedy non-maximum suppression as torchvision.ops.nms / batched_nms: boxes in descending score order, each kept unless
/// it overlaps a kept box of its group by more than the IoU threshold. TorchSharp has no nms, and on the CPU a plain loop
/// over a few thousand boxes costs milliseconds, so this runs on host arrays.
/// </summary>
internal static class NonMaximumSuppression
{
    /// <summary>Indices (int64) of the kept boxes of <paramref name="boxes"/> [K, 4], highest score first, at most <paramref name="maxKept"/>.</summary>
    public static Tensor Apply(Tensor boxes, Tensor scores, double iouThreshold, int maxKept = int.MaxValue)
    {
        using var oneGroup = zeros(boxes.shape[0], dtype: ScalarType.Int64);
        return ApplyByGroup(boxes, scores, oneGroup, iouThreshold, maxKept);
    }

    /// <summary>
    /// NMS within each group (e.g. pyramid level or class) independently, as torchvision's batched_nms, highest score
    /// first over all groups. A box is compared only with the boxes of its own group, and the loop stops at
    /// <paramref name="maxKept"/>: the kept boxes come out in score order, so the first of them are the best ones
    /// whatever follows.
    /// </summary>
    public static Tensor ApplyByGroup(Tensor boxes, Tensor scores, Tensor groups, double iouThreshold, int maxKept = int.MaxValue)
    {
        if (boxes.shape[0] == 0) return empty(0, dtype: ScalarType.Int64);   // data<T>() of an empty tensor throws
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var order = scores.argsort(descending: true);
        float[] sorted = boxes.index_select(0, order).to(ScalarType.Float32).contiguous().data<float>().ToArray();
        long[] sortedGroups = groups.index_select(0, order).to(ScalarType.Int64).contiguous().data<long>().ToArray();
        long[] kept = KeptPositions(sorted, sortedGroups, iouThreshold, maxKept).ToArray();
        using var positions = tensor(kept, ScalarType.Int64);
        return order.index_select(0, positions).MoveToOuterDisposeScope();
    }

    /// <summary>Positions (in the sorted order) of the boxes greedy NMS keeps; <paramref name="sorted"/> holds x1, y1, x2, y2 per box.</summary>
    private static List<long> KeptPositions(float[] sorted, long[] groups, double iouThreshold, int maxKept)
    {
        int count = groups.Length;
        var members = groups.Select((g, i) => (g, i)).GroupBy(x => x.g).ToDictionary(x => x.Key, x => x.Select(m => m.i).ToArray());
        var rank = new int[count];   // each box's place among its group's members, which are in score order too
        foreach (var list in members.Values)
            for (int r = 0; r < list.Length; r++) rank[list[r]] = r;
        var suppressed = new bool[count];
        var kept = new List<long>();
        for (int i = 0; i < count && kept.Count < maxKept; i++)
        {
            if (suppressed[i]) continue;
            kept.Add(i);
            var group = members[groups[i]];
            for (int r = rank[i] + 1; r < group.Length; r++)
            {
                int j = group[r];
                if (!suppressed[j] && Iou(sorted, i, j) > iouThreshold) suppressed[j] = true;
            }
        }
        return kept;
    }

    private static double Iou(float[] b, int i, int j)
    {
        double w = Math.Min(b[4 * i + 2], b[4 * j + 2]) - Math.Max(b[4 * i], b[4 * j]);
        double h = Math.Min(b[4 * i + 3], b[4 * j + 3]) - Math.Max(b[4 * i + 1], b[4 * j + 1]);
        if (w <= 0 || h <= 0) return 0;
        double inter = w * h;
        double areaI = (b[4 * i + 2] - b[4 * i]) * (double)(b[4 * i + 3] - b[4 * i + 1]);
        double areaJ = (b[4 * j + 2] - b[4 * j]) * (double)(b[4 * j + 3] - b[4 * j + 1]);
        return inter / (areaI + areaJ - inter);
    }
}
