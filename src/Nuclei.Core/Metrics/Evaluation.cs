using Nuclei.Core.Data;

namespace Nuclei.Core.Metrics;

/// <summary>
/// Scores predictions against truth, matched by image id (see <see cref="LabelSources"/> for the accepted forms).
/// Ids present on one side only are an error naming them. Problems with single images (unreadable file, wrong
/// size, malformed run-length row) are collected and thrown together, so one run reports them all.
/// 3D label stacks in folders of label maps are scored as stacks (<see cref="StackEvaluation"/>, <see cref="StackPairs"/>).
/// </summary>
internal sealed record Evaluation(IReadOnlyList<ImageEvaluation> Images, DatasetScore Dataset, PixelOverlap Pixels)
{
    /// <summary>The 3D label stacks scored, by id (none unless the truth holds stacks).</summary>
    public IReadOnlyList<StackEvaluation> Stacks { get; init; } = [];

    public static Evaluation Run(string truthPath, string predPath, int? parallelism = null)
    {
        var truth = LabelSources.OpenTruthSide(truthPath);
        var pred = LabelSources.OpenPredictionSide(predPath);
        var stacks = StackPairs.Match(truth, pred, predPath);
        var images = Run(truth.Images, StackPairs.WithoutStackPlanes(pred.Images, truth, stacks), truthPath, predPath, parallelism);
        return images with { Stacks = StackPairs.Score(stacks) };
    }

    public static Evaluation Run(IReadOnlyList<LabelEntry> truth, IReadOnlyList<LabelEntry> pred,
        string truthName, string predName, int? parallelism = null)
    {
        var predById = pred.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var truthIds = truth.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var extra = pred.Where(p => !truthIds.Contains(p.Id)).Select(p => p.Id).ToList();
        var missing = truth.Where(t => !predById.ContainsKey(t.Id)).Select(t => t.Id).ToList();
        if (extra.Count > 0 || missing.Count > 0)
        {
            var problems = new List<string>();
            if (extra.Count > 0) problems.Add($"{extra.Count} image id(s) in the predictions are not in the truth: {Sample(extra)}");
            if (missing.Count > 0) problems.Add($"{missing.Count} image id(s) in the truth have no prediction: {Sample(missing)}");
            throw new NucleiInputException(predName, string.Join("; ", problems) + $" (truth: {truthName})");
        }

        var results = new ImageEvaluation?[truth.Count];
        var errors = new string?[truth.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount };
        Parallel.For(0, truth.Count, options, i =>
        {
            try
            {
                var t = truth[i].Load(null);
                var p = predById[truth[i].Id].Load((t.Height, t.Width));
                results[i] = ImageEvaluation.Of(truth[i].Id, t, p);
            }
            catch (NucleiInputException e)
            {
                errors[i] = e.Message;
            }
        });
        var failed = errors.Where(e => e is not null).ToList();
        if (failed.Count > 0)
            throw new NucleiInputException(null, $"{failed.Count} image(s) could not be evaluated:\n  " + string.Join("\n  ", failed));

        var images = results.Select(r => r!).ToList();
        var pixels = images.Aggregate(new PixelOverlap(), (a, r) => a + r.Pixels);
        return new Evaluation(images, DatasetScore.Aggregate(images.Select(r => r.Score)), pixels);
    }

    static string Sample(List<string> ids) => string.Join(", ", ids.Take(5)) + (ids.Count > 5 ? $", … ({ids.Count - 5} more)" : "");
}
