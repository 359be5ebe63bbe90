using Nuclei.Core.Configuration;
using Nuclei.Torch.Losses;
using Nuclei.Torch.Models;
using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>
/// The training objective: one <see cref="LossFactory"/> loss per head ([train] loss, loss_contour, loss_marker;
/// terms joined by + or _, e.g. iou+bce), summed by <see cref="MultiHeadLoss"/>. With [param] weight_map the
/// BCE and focal terms take their pixel-weighted forms (wbce, focal2: samuelschen/DSB2018's contour/centroid emphasis).
/// </summary>
internal sealed class TrainingLoss : ITrainingLoss
{
    readonly MultiHeadLoss _loss;

    public TrainingLoss(IReadOnlyList<string> perHeadSpecs, bool weightMap)
    {
        var losses = perHeadSpecs.Select(s => LossFactory.Create(Spec(s, weightMap), "configuration [train]")).ToList();
        _loss = new MultiHeadLoss(losses, Enumerable.Repeat(1.0, losses.Count).ToList());
    }

    public static TrainingLoss Create(IReadOnlyList<HeadKind> heads, NucleiConfiguration c) =>
        new(heads.Select(h => h switch
        {
            HeadKind.Contour => c.GetString("train", "loss_contour"),
            HeadKind.Marker => c.GetString("train", "loss_marker"),
            HeadKind.Semantic => c.GetString("train", "loss"),
            _ => throw new ArgumentOutOfRangeException(nameof(heads), h, "no loss setting for this head"),
        }).ToList(), c.GetBool("param", "weight_map"));

    /// <summary>Whether the pixel weight map must be built for the batches.</summary>
    public bool UsesWeightMap => _loss.UsesWeightMap;

    public Tensor Compute(Tensor logits, Tensor targets, Tensor? weights) => _loss.Compute(logits, targets, weights).Total;

    /// <summary>The total loss and each head's value (to name the head when a loss is not finite).</summary>
    public (Tensor Total, double[] PerHead) ComputeByHead(Tensor logits, Tensor targets, Tensor? weights) => _loss.Compute(logits, targets, weights);

    static string Spec(string spec, bool weightMap)
    {
        var terms = spec.Trim().ToLowerInvariant().Replace('_', '+').Split('+', StringSplitOptions.TrimEntries);
        if (weightMap) terms = terms.Select(t => t switch { "bce" => "wbce", "focal" => "focal2", _ => t }).ToArray();
        return string.Join("+", terms);
    }
}
