using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// RoIAlign from the pyramid level that suits each box's size, as torchvision's MultiScaleRoIAlign: level
/// k = ⌊4 + log2(√(w·h) / 224)⌋ clamped to the levels there are (Lin et al. 2017, "Feature Pyramid Networks for
/// Object Detection", eq. 1: a 224² box reads P4). Level k has stride 2^k; <c>maps[0]</c> is P2 (stride 4).
/// Nuclei are small, so most read P2.
/// </summary>
internal static class MultiScaleRoiAlign
{
    private const int CanonicalLevel = 4, CanonicalSize = 224, FinestLevel = 2;

    /// <summary>The pyramid level (2 = P2, …) of each box [K, 4], for <paramref name="levels"/> levels from P2: [K] int64.</summary>
    public static Tensor LevelOf(Tensor boxes, int levels)
    {
        using var scope = NewDisposeScope();
        var size = Boxes.Area(boxes).clamp(min: 1e-6).sqrt();
        var k = (log2(size / CanonicalSize) + CanonicalLevel + 1e-6).floor();
        return k.clamp(FinestLevel, FinestLevel + levels - 1).to(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    /// <summary>Pools each box [K, 4] (of image <paramref name="batchIndex"/>[k]) from its level of <paramref name="maps"/> (P2, P3, …): [K, C, output, output].</summary>
    public static Tensor Pool(IReadOnlyList<Tensor> maps, Tensor boxes, Tensor batchIndex, int output, int sampling = 2)
    {
        if (boxes.shape[0] == 0) return zeros(0, maps[0].shape[1], output, output, dtype: maps[0].dtype);
        using var scope = NewDisposeScope();
        var levels = LevelOf(boxes, maps.Count);
        var pooled = new List<Tensor>();
        var order = new List<Tensor>();
        for (int l = 0; l < maps.Count; l++)
        {
            var members = (levels == FinestLevel + l).nonzero().flatten();
            if (members.shape[0] == 0) continue;
            double scale = 1.0 / (1 << (FinestLevel + l));
            pooled.Add(RoiAlign.Apply(maps[l], boxes.index_select(0, members), batchIndex.index_select(0, members), scale, output, sampling));
            order.Add(members);
        }
        return cat(pooled, 0).index_select(0, cat(order, 0).argsort()).MoveToOuterDisposeScope();
    }
}
