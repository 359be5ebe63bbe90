using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Greedy non-maximum suppression as torchvision.ops.nms / batched_nms: boxes in descending score order, each kept unless
/// it overlaps a kept box by more than the IoU threshold. TorchSharp has no nms, and on the CPU a plain loop over a few
/// thousand boxes costs milliseconds, so this runs on host arrays.
/// </summary>
internal static class NonMaximumSuppression
{
    /// <summary>Indices (int64) of the kept boxes of <paramref name="boxes"/> [K, 4], highest score first.</summary>
    public static Tensor Apply(Tensor boxes, Tensor scores, double iouThreshold)
    {
        if (boxes.shape[0] == 0) return empty(0, dtype: ScalarType.Int64);   // data<T>() of an empty tensor throws
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var order = scores.argsort(descending: true);
        float[] sorted = boxes.index_select(0, order).to(ScalarType.Float32).contiguous().data<float>().ToArray();
        long[] kept = KeptPositions(sorted, iouThreshold).ToArray();
        using var positions = tensor(kept, ScalarType.Int64);
        return order.index_select(0, positions).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// NMS within each group (e.g. pyramid level or class) independently: torchvision's coordinate trick, each group's boxes
    /// shifted by an offset larger than every box so that boxes of different groups never overlap.
    /// </summary>
    public static Tensor ApplyByGroup(Tensor boxes, Tensor scores, Tensor groups, double iouThreshold)
    {
        if (boxes.shape[0] == 0) return empty(0, dtype: ScalarType.Int64);   // boxes.max() of nothing throws
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var offsets = groups.to(boxes.dtype) * (boxes.max() + 1);
        var shifted = boxes + offsets[.., TensorIndex.None];
        return Apply(shifted, scores, iouThreshold).MoveToOuterDisposeScope();
    }

    /// <summary>Positions (in the sorted order) of the boxes greedy NMS keeps; <paramref name="sorted"/> holds x1, y1, x2, y2 per box.</summary>
    private static List<long> KeptPositions(float[] sorted, double iouThreshold)
    {
        int count = sorted.Length / 4;
        var suppressed = new bool[count];
        var kept = new List<long>();
        for (int i = 0; i < count; i++)
        {
            if (suppressed[i]) continue;
            kept.Add(i);
            for (int j = i + 1; j < count; j++)
                if (!suppressed[j] && Iou(sorted, i, j) > iouThreshold) suppressed[j] = true;
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
