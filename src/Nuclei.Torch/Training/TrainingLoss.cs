using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Models;
using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>
/// Sum over heads of a per-head pixel loss chosen by name in [train] (loss, loss_contour, loss_marker):
/// bce (binary cross-entropy on logits), focal (Lin et al. 2017, γ = 2), iou (1 − soft Jaccard of the
/// probabilities, seed 000's "IoU" loss), dice (1 − soft Dice), and sums such as iou_bce or iou_focal.
/// Pixel weights, when given, scale the BCE/focal terms.
/// </summary>
public sealed class TrainingLoss : ITrainingLoss
{
    public static readonly string[] Terms = ["bce", "focal", "iou", "dice"];
    readonly string[][] _terms;   // per head

    public TrainingLoss(IReadOnlyList<string> perHeadNames)
    {
        _terms = perHeadNames.Select(Parse).ToArray();
    }

    public static TrainingLoss Create(IReadOnlyList<HeadKind> heads, NucleiConfiguration c) =>
        new(heads.Select(h => h switch
        {
            HeadKind.Contour => c.GetString("train", "loss_contour"),
            HeadKind.Marker => c.GetString("train", "loss_marker"),
            _ => c.GetString("train", "loss"),
        }).ToList());

    static string[] Parse(string name)
    {
        var parts = name.Trim().ToLowerInvariant().Split('_', '+');
        foreach (var p in parts)
            if (!Terms.Contains(p)) throw new NucleiInputException("configuration", $"loss '{name}': unknown term '{p}' (known: {string.Join(", ", Terms)}, joined by _)");
        return parts;
    }

    public Tensor Compute(Tensor logits, Tensor targets, Tensor? weights)
    {
        Tensor? total = null;
        for (int k = 0; k < _terms.Length; k++)
        {
            var z = logits[.., k];
            var t = targets[.., k];
            var wk = weights?[.., k];
            foreach (var term in _terms[k])
            {
                var v = term switch
                {
                    "bce" => Bce(z, t, wk),
                    "focal" => Focal(z, t, wk),
                    "iou" => SoftIou(z, t),
                    _ => SoftDice(z, t),
                };
                total = total is null ? v : total + v;
            }
        }
        return total!;
    }

    static Tensor Bce(Tensor z, Tensor t, Tensor? w) =>
        nn.functional.binary_cross_entropy_with_logits(z, t, weight: w);

    static Tensor Focal(Tensor z, Tensor t, Tensor? w)
    {
        var bce = nn.functional.binary_cross_entropy_with_logits(z, t, reduction: nn.Reduction.None);
        var pt = exp(-bce);
        var f = (1 - pt).pow(2) * bce;
        if (w is not null) f = f * w;
        return f.mean();
    }

    static Tensor SoftIou(Tensor z, Tensor t)
    {
        var p = sigmoid(z);
        var inter = (p * t).sum();
        var union = p.sum() + t.sum() - inter;
        return 1 - (inter + 1) / (union + 1);
    }

    static Tensor SoftDice(Tensor z, Tensor t)
    {
        var p = sigmoid(z);
        return 1 - (2 * (p * t).sum() + 1) / (p.sum() + t.sum() + 1);
    }
}
