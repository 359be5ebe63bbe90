using Nuclei.Core.Data;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Metrics;

/// <summary>Mean AP of one kind of image (<see cref="ImageKind"/>).</summary>
internal sealed record KindScore(string Kind, double MeanAp, int Images);

/// <summary>
/// An evaluation split by kind of image (fluorescence, colour-bright, grey-bright), the kinds read from the truth
/// folder's images; and the mean over kinds, which does not let the most frequent kind hide the others.
/// </summary>
internal static class KindBreakdown
{
    public static IReadOnlyList<KindScore> Of(Evaluation evaluation, string truthFolder)
    {
        if (!Directory.Exists(truthFolder))
            throw new NucleiInputException(truthFolder, "a breakdown by kind needs the truth as a folder with its images (not a CSV)");
        var imageOf = LabelSources.TruthImages(truthFolder);
        if (imageOf.Count == 0)
            throw new NucleiInputException(truthFolder, "a breakdown by kind needs the images beside the truth (DSB layout, or images with their label maps), not label maps alone");
        var kinds = new Dictionary<string, string>();
        foreach (var r in evaluation.Images)
            if (imageOf.TryGetValue(r.Id, out var path)) kinds[r.Id] = ImageKind.Of(ImageIO.ReadImage(path));
        return evaluation.Images.Where(r => kinds.ContainsKey(r.Id)).GroupBy(r => kinds[r.Id])
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KindScore(g.Key, g.Average(r => r.Score.MeanAp), g.Count())).ToList();
    }

    public static double Balanced(IReadOnlyList<KindScore> kinds) => KindMean.Of(kinds.Select(k => k.MeanAp), double.NaN);
}
