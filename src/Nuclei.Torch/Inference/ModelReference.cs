using Nuclei.Core;

namespace Nuclei.Torch.Inference;

/// <summary>
/// A checkpoint to predict with and its ensemble weight. <see cref="Expand"/> is the one place where what the user passes
/// as <c>--model</c> (checkpoints and <see cref="EnsembleDescription"/> files, freely mixed) becomes checkpoints.
/// </summary>
internal sealed record ModelReference(string Path, float Weight = 1f)
{
    /// <summary>
    /// The checkpoints behind <paramref name="paths"/>: a checkpoint stands for itself; a description for its members (in
    /// order, nested descriptions expanded), each member's weight multiplied by the one given for the description.
    /// </summary>
    /// <exception cref="NucleiInputException">a description that lists nobody, a missing member, or one that (through others) lists itself</exception>
    public static IReadOnlyList<ModelReference> Expand(IReadOnlyList<string> paths, IReadOnlyList<float>? weights = null)
    {
        if (weights is not null && weights.Count != paths.Count) throw new ArgumentException("one weight per path", nameof(weights));
        var result = new List<ModelReference>();
        for (int i = 0; i < paths.Count; i++) Add(result, new ModelReference(paths[i], weights?[i] ?? 1f), new Stack<string>());
        return result;
    }

    static void Add(List<ModelReference> result, ModelReference reference, Stack<string> within)
    {
        if (!EnsembleDescription.IsDescription(reference.Path)) { result.Add(reference); return; }
        string full = System.IO.Path.GetFullPath(reference.Path);
        if (within.Contains(full, StringComparer.Ordinal))
            throw new NucleiInputException(within.Peek(), $"ensemble description lists {(within.Peek() == full ? "itself" : full + ", which lists it back")}");
        within.Push(full);
        foreach (var member in EnsembleDescription.Read(full))
        {
            if (!File.Exists(member.Path))
                throw new NucleiInputException(full, $"member {member.Path} does not exist");
            Add(result, member with { Weight = member.Weight * reference.Weight }, within);
        }
        within.Pop();
    }

    /// <summary>The one checkpoint behind <paramref name="path"/>, for commands that take exactly one (an ensemble of one is fine).</summary>
    public static string Single(string path, string command)
    {
        var all = Expand([path]);
        return all.Count == 1 ? all[0].Path
            : throw new NucleiInputException(path, $"is an ensemble of {all.Count} checkpoints; {command} takes one checkpoint (pass one member, e.g. {all[0].Path})");
    }
}
