using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Core.Report;

/// <summary>
/// The report of <c>nuclei evaluate --report FILE</c>: the scores and errors of an <see cref="Evaluation"/>, the
/// predicted nuclei's distributions, and the worst images drawn with their errors, on the image itself when the truth
/// is a dataset folder that holds it (on the true nuclei otherwise).
/// </summary>
internal static class EvaluationReport
{
    public static RunReport Write(string htmlPath, Evaluation result, string truthPath, string predPath, int? parallelism = null)
    {
        var builder = new ReportBuilder(htmlPath, "Nuclei evaluation", $"truth: {truthPath}; predictions: {predPath}");
        var truth = LabelSources.OpenTruth(truthPath).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var pred = LabelSources.OpenPredictions(predPath).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var images = LabelSources.TruthImages(truthPath);
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount };
        Parallel.ForEach(result.Images, options, e =>
        {
            var t = truth[e.Id].Load(null);
            var p = pred[e.Id].Load((t.Height, t.Width));
            var image = images.TryGetValue(e.Id, out string? path) ? ImageIO.ReadImage(path) : null;
            if (image is not null && (image.Height != t.Height || image.Width != t.Width))
                throw new NucleiInputException(path, $"image is {image.Height}x{image.Width} but its truth is {t.Height}x{t.Width}");
            builder.Add(new ReportImage(e.Id, NucleusStatistics.Of(p, image), Evaluation: e));
            builder.OfferWorst(e.Id, e.Score.MeanAp, () => ErrorPicture.Render(image, t, p, e.Errors));
        });
        return builder.Write(Array.Empty<ReportFailure>());
    }
}
