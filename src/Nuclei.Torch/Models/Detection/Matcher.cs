using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Assigns each prediction (anchor or proposal) the ground-truth box it overlaps most, as torchvision's Matcher: IoU at or
/// above <c>high</c> matches, below <c>low</c> is background (<see cref="Background"/>), in between is ignored
/// (<see cref="Ignored"/>). With low-quality matches allowed (the RPN, Ren et al. 2015 "Faster R-CNN" §3.1.2) every
/// ground truth also keeps the predictions it overlaps best, even under <c>high</c>, so that no nucleus is left without one.
/// </summary>
internal sealed class Matcher
{
    public const long Background = -1, Ignored = -2;

    private readonly double _high, _low;
    private readonly bool _allowLowQuality;

    public Matcher(double high, double low, bool allowLowQuality)
    {
        if (low > high) throw new ArgumentException("the low IoU threshold must not exceed the high one");
        _high = high; _low = low; _allowLowQuality = allowLowQuality;
    }

    /// <summary>For each prediction (column of <paramref name="iou"/> [G, P]) the index of its ground truth, or <see cref="Background"/> / <see cref="Ignored"/>: [P] int64.</summary>
    public Tensor Match(Tensor iou)
    {
        if (iou.shape[0] == 0) return full(iou.shape[1], Background, dtype: ScalarType.Int64);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (best, matches) = iou.max(0);
        var result = matches.clone();
        result.masked_fill_(best < _low, Background);
        result.masked_fill_((best >= _low) & (best < _high), Ignored);
        if (_allowLowQuality) RestoreBestPerGroundTruth(iou, matches, result);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predictions that are some ground truth's best (ties included) get back their own best match, as torchvision does;
    /// unlike torchvision, a ground truth that no prediction overlaps at all restores nothing.
    /// </summary>
    private static void RestoreBestPerGroundTruth(Tensor iou, Tensor matches, Tensor result)
    {
        var (bestPerTruth, _) = iou.max(1);
        var isBest = (iou == bestPerTruth[.., TensorIndex.None]) & (bestPerTruth[.., TensorIndex.None] > 0);
        var predictions = isBest.any(0).nonzero().flatten();
        result.index_put_(matches.index_select(0, predictions), new[] { predictions });
    }
}
