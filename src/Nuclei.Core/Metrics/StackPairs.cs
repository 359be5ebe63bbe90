using System.Text.RegularExpressions;
using Nuclei.Core.Data;
using Nuclei.Core.IO;

namespace Nuclei.Core.Metrics;

/// <summary>
/// Pairs the 3D label stacks of an evaluation's two sides by id and scores them. Every stack of the truth needs a
/// stack of the predictions; a stack on one side and a 2D map on the other under one id is refused, naming the file.
/// A predicted stack whose id the truth lacks is left out, as before stacks were scored: its planes' 2D maps beside it
/// (<c>&lt;id&gt;_z&lt;k&gt;</c>, as <c>segment --z stitch</c> writes them) are scored against 2D truths of those ids. Where the
/// truth holds the stack, those plane maps are not scored again as 2D images unless the truth has them too.
/// </summary>
static partial class StackPairs
{
    /// <exception cref="NucleiInputException">a stack of the truth has no predicted stack, or one id is 2D on one side and 3D on the other</exception>
    public static IReadOnlyList<(LabelStackEntry Truth, LabelStackEntry Pred)> Match(LabelSide truth, LabelSide pred, string predName)
    {
        var predStacks = pred.Stacks.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var truthImages = truth.Images.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var predImages = pred.Images.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var p in pred.Stacks)
            if (truthImages.TryGetValue(p.Id, out var t))
                throw new NucleiInputException(p.Source, $"a 3D label stack, but the truth for '{p.Id}' is a 2D label map ({t.Source}); score stacks against stacks");
        foreach (var t in truth.Stacks)
            if (predImages.TryGetValue(t.Id, out var p))
                throw new NucleiInputException(p.Source, $"a 2D label map, but the truth for '{t.Id}' is a 3D label stack ({t.Source}); score stacks against stacks");
        var missing = truth.Stacks.Where(t => !predStacks.ContainsKey(t.Id)).Select(t => t.Id).ToList();
        if (missing.Count > 0)
            throw new NucleiInputException(predName, $"{missing.Count} label stack(s) of the truth have no predicted stack (<id>.stack.labels.tif): " +
                string.Join(", ", missing.Take(5)) + (missing.Count > 5 ? $", … ({missing.Count - 5} more)" : ""));
        return truth.Stacks.Select(t => (t, predStacks[t.Id])).ToList();
    }

    /// <summary>The predicted 2D maps less the planes (<c>&lt;id&gt;_z&lt;k&gt;</c>) of the stacks scored in 3D that the truth has no 2D map of.</summary>
    public static IReadOnlyList<LabelEntry> WithoutStackPlanes(IReadOnlyList<LabelEntry> pred, LabelSide truth,
        IReadOnlyList<(LabelStackEntry Truth, LabelStackEntry Pred)> stacks)
    {
        var stackIds = stacks.Select(s => s.Truth.Id).ToHashSet(StringComparer.Ordinal);
        var truthIds = truth.Images.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        return pred.Where(e => truthIds.Contains(e.Id) || PlaneOf().Match(e.Id) is not { Success: true } m || !stackIds.Contains(m.Groups[1].Value)).ToList();
    }

    /// <summary>Reads and scores each pair, one at a time (a stack can be large); problems are collected and thrown together.</summary>
    public static IReadOnlyList<StackEvaluation> Score(IReadOnlyList<(LabelStackEntry Truth, LabelStackEntry Pred)> stacks)
    {
        var results = new List<StackEvaluation>();
        var errors = new List<NucleiInputException>();
        foreach (var (t, p) in stacks)
        {
            try
            {
                var truth = LabelStackFile.Read(t.Source);
                var pred = LabelStackFile.Read(p.Source);
                if (truth.Size != pred.Size)
                    throw new NucleiInputException(p.Source, $"label stack is {pred.Size} (z x height x width) but the truth for '{t.Id}' is {truth.Size} ({t.Source})");
                results.Add(StackEvaluation.Of(t.Id, truth, pred));
            }
            catch (NucleiInputException e)
            {
                errors.Add(e);
            }
        }
        if (errors.Count == 1) throw errors[0];   // the one line naming the file
        if (errors.Count > 1)
            throw new NucleiInputException(null, $"{errors.Count} label stack(s) could not be evaluated:\n  " + string.Join("\n  ", errors.Select(e => e.Message)));
        return results;
    }

    /// <summary>A plane's id as <c>--z each</c>/<c>stitch</c> names it: the stack's id, <c>_z</c>, the plane number.</summary>
    [GeneratedRegex(@"^(.+)_z[0-9]+$")]
    private static partial Regex PlaneOf();
}
