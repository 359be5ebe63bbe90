using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>
/// Loss of a multi-head network: Σ_h w_h · loss_h(logits[:, h], targets[:, h], weightMap), logits and targets
/// [N, heads, H, W], the weight map [N, 1, H, W] (shared by all heads) or [N, heads, H, W] (per head), or null.
/// </summary>
internal sealed class MultiHeadLoss
{
    private readonly PixelLoss[] losses;
    private readonly double[] headWeights;

    /// <param name="losses">One loss per head, or a single loss used for every head.</param>
    /// <param name="headWeights">One weight per head (samuelschen/DSB2018 weighted all heads 1).</param>
    public MultiHeadLoss(IReadOnlyList<PixelLoss> losses, IReadOnlyList<double> headWeights)
    {
        if (losses.Count != 1 && losses.Count != headWeights.Count)
            throw new ArgumentException($"give one loss or one per head ({headWeights.Count}), got {losses.Count}");
        this.losses = losses.ToArray();
        this.headWeights = headWeights.ToArray();
    }

    public int HeadCount => headWeights.Length;

    public PixelLoss LossOf(int head) => losses.Length == 1 ? losses[0] : losses[head];

    /// <summary>Whether any head's loss uses the pixel weight map (so the trainer knows to build one).</summary>
    public bool UsesWeightMap => losses.Any(l => l.UsesWeightMap);

    /// <summary>The total loss, and each head's (unweighted) loss value for logging.</summary>
    public (Tensor Total, double[] PerHead) Compute(Tensor logits, Tensor targets, Tensor? weightMap = null)
    {
        if (logits.shape[1] != HeadCount || targets.shape[1] != HeadCount)
            throw new ArgumentException($"expected {HeadCount} heads, got logits {string.Join("x", logits.shape)} and targets {string.Join("x", targets.shape)}");
        var perHead = new double[HeadCount];
        Tensor? total = null;
        for (int h = 0; h < HeadCount; h++)
        {
            using var z = logits[.., h];
            using var t = targets[.., h];
            using var w = weightMap is null ? null : weightMap.shape[1] == 1 ? weightMap[.., 0] : weightMap[.., h];
            var value = LossOf(h).Compute(z, t, w);
            using (var d = value.detach().to_type(ScalarType.Float64)) perHead[h] = d.item<double>();
            var weighted = value.mul(headWeights[h]);
            value.Dispose();
            if (total is null) { total = weighted; continue; }
            var sum = total.add(weighted);
            total.Dispose(); weighted.Dispose();
            total = sum;
        }
        return (total!, perHead);
    }
}
