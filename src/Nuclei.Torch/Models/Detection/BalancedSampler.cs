using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Picks a fixed number of training examples per image with at most a given share of positives, as torchvision's
/// BalancedPositiveNegativeSampler (Ren et al. 2015, "Faster R-CNN" §3.1.3: 256 anchors, up to half positive; the box
/// head samples 512 proposals, a quarter positive). The draws use libtorch's global generator, which training seeds.
/// </summary>
internal sealed class BalancedSampler
{
    private readonly int _perImage;
    private readonly double _positiveFraction;

    public BalancedSampler(int perImage, double positiveFraction)
    {
        if (perImage < 1 || positiveFraction is <= 0 or > 1) throw new ArgumentException("a positive sample size and a positive fraction in (0, 1]");
        _perImage = perImage; _positiveFraction = positiveFraction;
    }

    /// <summary>Indices (int64) of the sampled positives and negatives among <paramref name="labels"/> [P] (1 positive, 0 negative, -1 ignored).</summary>
    public (Tensor Positives, Tensor Negatives) Sample(Tensor labels)
    {
        using var scope = NewDisposeScope();
        var positive = (labels >= 1).nonzero().flatten();
        var negative = (labels == 0).nonzero().flatten();
        long positives = Math.Min(positive.shape[0], (long)(_perImage * _positiveFraction));
        long negatives = Math.Min(negative.shape[0], _perImage - positives);
        return (RandomSubset(positive, positives).MoveToOuterDisposeScope(), RandomSubset(negative, negatives).MoveToOuterDisposeScope());
    }

    private static Tensor RandomSubset(Tensor indices, long count) =>
        indices.index_select(0, randperm(indices.shape[0])[..(int)count]);
}
