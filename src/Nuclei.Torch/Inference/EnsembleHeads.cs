using Nuclei.Core;

namespace Nuclei.Torch.Inference;

/// <summary>Checks that the models of an ensemble predict the same heads, so their maps can be averaged.</summary>
internal static class EnsembleHeads
{
    /// <summary>The common head list (first model's order); throws a clear error naming the models otherwise.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<InferenceModel> models)
    {
        var first = models[0];
        var reference = new HashSet<string>(first.Heads, StringComparer.OrdinalIgnoreCase);
        if (reference.Count != first.Heads.Count)
            throw new NucleiInputException(first.Source, $"model lists a head twice: {string.Join(", ", first.Heads)}");
        foreach (var m in models.Skip(1))
        {
            if (!reference.SetEquals(m.Heads))
                throw new NucleiInputException(m.Source,
                    $"heads [{string.Join(", ", m.Heads)}] differ from [{string.Join(", ", first.Heads)}] of {first.Source}; " +
                    "an ensemble averages the same heads, so its models must all predict the same ones");
        }
        return first.Heads;
    }
}
