using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>
/// Lovász hinge loss ("lovasz"), per image then averaged: the Lovász extension of the Jaccard loss applied to the
/// hinge errors 1 − z·s (s = ±1 from the target thresholded at 0.5). Berman, Rannen Triki, Blaschko 2018,
/// "The Lovász-Softmax loss: a tractable surrogate for the optimization of the intersection-over-union measure in
/// neural networks" (reference implementation: github.com/bermanmaxim/LovaszSoftmax, lovasz_hinge).
/// </summary>
internal sealed class LovaszHingeLoss : PixelLoss
{
    public override string Name => "lovasz";

    public override Tensor Compute(Tensor logits, Tensor target, Tensor? weight = null)
    {
        // every view and intermediate (chained calls included) is freed with the scope; autograd keeps what it needs
        using var scope = NewDisposeScope();
        long n = logits.shape[0];
        var flatLogits = logits.reshape(n, -1);
        var flatTarget = target.reshape(n, -1).gt(0.5).to_type(logits.dtype);
        var perImage = new Tensor[n];
        for (long i = 0; i < n; i++)
            perImage[i] = Flat(flatLogits[i], flatTarget[i]);
        return stack(perImage).mean().MoveToOuterDisposeScope();
    }

    private static Tensor Flat(Tensor logits, Tensor labels)
    {
        using var signs = labels.mul(2.0).sub(1.0);
        using var errors = logits.mul(signs).neg().add(1.0);
        var (sorted, permutation) = errors.sort(0, descending: true);
        using (sorted)
        using (permutation)
        {
            using var gtSorted = labels.index_select(0, permutation);
            using var grad = LovaszGrad(gtSorted);
            using var hinge = nn.functional.relu(sorted);
            return hinge.dot(grad);
        }
    }

    /// <summary>Gradient of the Lovász extension w.r.t. sorted errors (Berman et al. 2018, Algorithm 1).</summary>
    private static Tensor LovaszGrad(Tensor gtSorted)
    {
        using var gts = gtSorted.sum();
        using var cumGt = gtSorted.cumsum(0);
        using var cumNeg = gtSorted.neg().add(1.0).cumsum(0);
        using var intersection = gts.sub(cumGt);
        using var union = gts.add(cumNeg);
        using var jaccard = intersection.div(union).neg().add(1.0);
        long p = jaccard.shape[0];
        if (p <= 1) return jaccard.clone();
        using var head = jaccard[..1];
        using var diff = jaccard[1..].sub(jaccard[..(int)(p - 1)]);
        return cat([head, diff], 0);
    }
}
