using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// The RPN's proposals of one image from its decoded anchors, as torchvision's RegionProposalNetwork.filter_proposals:
/// the top-k by objectness within each pyramid level, clipped to the image, tiny boxes removed, NMS within each level,
/// then the best <c>postNms</c> over all levels.
/// </summary>
internal static class ProposalFilter
{
    /// <param name="boxes">decoded anchors [T, 4], levels one after another</param>
    /// <param name="objectness">their logits [T]</param>
    /// <param name="levelCounts">anchors per level</param>
    public static Tensor Filter(Tensor boxes, Tensor objectness, IReadOnlyList<long> levelCounts, int preNms, int postNms,
        double nmsThreshold, long height, long width)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (candidates, levels) = TopPerLevel(objectness, levelCounts, preNms);
        var kept = Boxes.Clip(boxes.index_select(0, candidates), height, width);
        var scores = objectness.index_select(0, candidates);
        var large = Boxes.IndicesOfLarge(kept, 1e-3);
        kept = kept.index_select(0, large);
        scores = scores.index_select(0, large);
        levels = levels.index_select(0, large);
        var survivors = NonMaximumSuppression.ApplyByGroup(kept, scores, levels, nmsThreshold, postNms);
        return kept.index_select(0, survivors).MoveToOuterDisposeScope();
    }

    /// <summary>Indices of each level's best <paramref name="preNms"/> anchors, and their levels.</summary>
    private static (Tensor Indices, Tensor Levels) TopPerLevel(Tensor objectness, IReadOnlyList<long> levelCounts, int preNms)
    {
        var indices = new List<Tensor>();
        var levels = new List<Tensor>();
        long offset = 0;
        for (int level = 0; level < levelCounts.Count; level++)
        {
            long count = levelCounts[level];
            var (_, top) = objectness.narrow(0, offset, count).topk((int)Math.Min(preNms, count));
            indices.Add(top + offset);
            levels.Add(full(top.shape[0], level, dtype: ScalarType.Int64));
            offset += count;
        }
        return (cat(indices, 0), cat(levels, 0));
    }
}
