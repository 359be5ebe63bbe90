using Nuclei.Cli.Batch;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Splitting;
using Nuclei.Torch.Training;

namespace Nuclei.Cli.Commands.Data;

/// <summary>The kind and acquisition of each sample, for the verbs that group by them (split, mosaic).</summary>
internal static class SampleKinds
{
    /// <summary>Kind and group of each sample: from the categorised CSV when given, else by reading each image.</summary>
    public static (List<SplitItem> Items, IReadOnlyList<BatchFailure> Failures) Of(IReadOnlyList<AnnotatedSample> samples, string? csvPath)
    {
        if (csvPath is not null)
        {
            var csv = DatasetCsv.Load(csvPath);
            var missing = samples.Where(s => csv.Get(s.Id, "major_category") is null).Select(s => s.Id).ToList();
            if (missing.Count > 0)
                throw new NucleiInputException(csvPath, $"{missing.Count} image(s) of the dataset are not in the CSV (or it has no major_category column), e.g. {string.Join(", ", missing.Take(3))}");
            return (samples.Select(s => new SplitItem(s.Id, csv.Get(s.Id, "major_category")!, csv.Get(s.Id, "sub_category") ?? s.Id)).ToList(), Array.Empty<BatchFailure>());
        }
        var found = new SplitItem?[samples.Count];
        var failures = BatchRunner.Run(Enumerable.Range(0, samples.Count).ToList(), i => samples[i].Id,
            i => found[i] = SplitItem.Of(samples[i]), "classifying", parallelism: Math.Max(1, Environment.ProcessorCount));
        return (found.Where(f => f is not null).Select(f => f!).ToList(), failures);
    }
}
