using Nuclei.Torch.Models;
using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>Says where a non-finite loss came from: which heads, and whether the input, targets, weights or logits already held NaN or ±∞.</summary>
internal static class NonFiniteLoss
{
    public static string Describe(IReadOnlyList<HeadKind> heads, double[] perHead, Tensor input, Tensor targets, Tensor? weights, Tensor logits)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var badHeads = heads.Select((h, i) => (Head: h, Value: perHead[i])).Where(p => !double.IsFinite(p.Value))
            .Select(p => FormattableString.Invariant($"{p.Head.ToString().ToLowerInvariant()} {p.Value}"));
        var tensors = new List<string>();
        void Check(string name, Tensor? t) { if (t is not null && !t.isfinite().all().item<bool>()) tensors.Add(name); }
        Check("input", input);
        Check("targets", targets);
        Check("pixel weights", weights);
        Check("logits", logits);
        string where = tensors.Count == 0 ? "input, targets and logits finite" : "not finite already: " + string.Join(", ", tensors);
        return $"the loss (heads: {string.Join(", ", badHeads)}; {where})";
    }
}
