using Nuclei.Core.IO;

namespace Nuclei.Core.Data.Splitting;

/// <summary>
/// Writes a split as folders that <c>train</c> reads: each sample's files are linked (<see cref="FileLinker"/>) into
/// every folder it belongs to (<c>train</c>, <c>valid</c>, <c>fold-K/train</c>, …), in the layout it came in, plus the
/// split CSV. Built in a staging folder and renamed into place; the output folder must not exist beforehand.
/// </summary>
internal static class SplitWriter
{
    public const string CsvName = "split.csv";

    /// <param name="places">per sample id, the folders (relative to the output) that receive it</param>
    /// <param name="csv">the split CSV's content</param>
    /// <returns>how many files were placed by each kind of link</returns>
    public static Dictionary<LinkKind, int> Write(string outDir, IReadOnlyList<AnnotatedSample> samples,
        IReadOnlyDictionary<string, IReadOnlyList<string>> places, bool dsbLayout, string csv)
    {
        return StagingFolder.Build(outDir, staging =>
        {
            var used = Enum.GetValues<LinkKind>().ToDictionary(k => k, _ => 0);
            foreach (var sample in samples)
                foreach (string place in places[sample.Id])
                    foreach (var (source, relative) in FilesOf(sample, dsbLayout))
                    {
                        string destination = Path.Combine(staging, place, relative);
                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        used[FileLinker.Link(source, destination)]++;
                    }
            AtomicFile.WriteAllText(Path.Combine(staging, CsvName), csv);
            return used;
        });
    }

    /// <summary>The files of a sample with their paths relative to the split folder.</summary>
    static IEnumerable<(string Source, string Relative)> FilesOf(AnnotatedSample sample, bool dsbLayout)
    {
        if (!dsbLayout)
        {
            yield return (sample.ImagePath, Path.GetFileName(sample.ImagePath));
            if (sample.LabelsPath is not null) yield return (sample.LabelsPath, Path.GetFileName(sample.LabelsPath));
            yield break;
        }
        string sampleDir = Path.GetDirectoryName(Path.GetDirectoryName(sample.ImagePath)!)!;
        foreach (string file in Directory.EnumerateFiles(sampleDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return (file, Path.Combine(sample.Id, Path.GetRelativePath(sampleDir, file)));
    }
}
