namespace Nuclei.Core.IO;

/// <summary>
/// Refuses a run whose outputs would replace one of its inputs (e.g. an output folder that holds the images with
/// an output named like one of them), before anything is written. Paths are compared by <see cref="CanonicalPath"/>,
/// so links and <c>..</c> do not hide a clash.
/// </summary>
internal static class InputGuard
{
    /// <exception cref="NucleiInputException">an output path is an input path; the message names both.</exception>
    public static void EnsureNoOverwrite(IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        var inputByCanonical = new Dictionary<string, string>(CanonicalPath.Comparer);
        foreach (string input in inputs) inputByCanonical.TryAdd(CanonicalPath.Of(input), input);
        foreach (string output in outputs)
            if (inputByCanonical.TryGetValue(CanonicalPath.Of(output), out string? input))
                throw new NucleiInputException(input,
                    $"this input would be overwritten by the output {output}; choose another --out (or --csv), nothing was written");
    }
}
