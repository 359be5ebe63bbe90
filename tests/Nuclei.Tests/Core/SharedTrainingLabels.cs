using Nuclei.Core.Data;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Core;

/// <summary>The label maps of the whole shared training set, loaded once (in parallel) for all Core tests that need them.</summary>
public static class SharedTrainingLabels
{
    static readonly object Gate = new();
    static IReadOnlyList<(string Id, LabelImage Labels)>? cache;

    /// <summary>Skips the test when the data is absent; otherwise returns (id, labels) sorted by id.</summary>
    public static IReadOnlyList<(string Id, LabelImage Labels)> Require()
    {
        string root = TestData.RequireStage1Train();
        lock (Gate)
        {
            if (cache is not null) return cache;
            var samples = DsbDataset.Scan(root).Samples;
            var result = new (string, LabelImage)[samples.Count];
            Parallel.For(0, samples.Count, i => result[i] = (samples[i].Id, DsbDataset.LoadLabels(samples[i])));
            return cache = result;
        }
    }
}
