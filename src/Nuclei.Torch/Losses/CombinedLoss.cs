using static TorchSharp.torch;

namespace Nuclei.Torch.Losses;

/// <summary>A weighted sum of losses, e.g. samuelschen/DSB2018's IoU+BCE, IoU+WBCE, IoU+Focal, IoU+Focal+WBCE.</summary>
internal sealed class CombinedLoss : PixelLoss
{
    private readonly (double Coefficient, PixelLoss Loss)[] terms;

    public CombinedLoss(IEnumerable<(double Coefficient, PixelLoss Loss)> terms)
    {
        this.terms = terms.ToArray();
        if (this.terms.Length == 0) throw new ArgumentException("a combined loss needs at least one term");
    }

    public IReadOnlyList<(double Coefficient, PixelLoss Loss)> Terms => terms;

    public override string Name => string.Join("+", terms.Select(t => t.Coefficient == 1 ? t.Loss.Name : $"{t.Coefficient:R}*{t.Loss.Name}"));

    public override bool UsesWeightMap => terms.Any(t => t.Loss.UsesWeightMap);

    public override Tensor Compute(Tensor logits, Tensor target, Tensor? weight = null)
    {
        Tensor? total = null;
        foreach (var (c, loss) in terms)
        {
            var value = loss.Compute(logits, target, weight);
            if (c != 1)
            {
                var scaled = value.mul(c);
                value.Dispose();
                value = scaled;
            }
            if (total is null) { total = value; continue; }
            var sum = total.add(value);
            total.Dispose(); value.Dispose();
            total = sum;
        }
        return total!;
    }
}
