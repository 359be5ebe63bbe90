using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;
using Nuclei.Core.Report;

namespace Nuclei.Tests.Report;

/// <summary>
/// A report as `nuclei segment --truth --report` writes it, without a model: the four samples "predicted" as their
/// truth with every third nucleus dropped and two neighbours merged, plus one failed image.
/// </summary>
internal static class ReportFixture
{
    public static RunReport Write(string dir)
    {
        var writer = new SegmentationOutputWriter(dir, options: new OutputOptions(Report: true), runDescription: "test run");
        foreach (var sample in DsbDataset.Scan(TestData.SamplesDir).Samples)
        {
            var loaded = DsbDataset.Load(sample);
            writer.Write(sample.Id, loaded.Image, Damaged(loaded.Labels), seconds: loaded.Image.Height / 100.0, truth: loaded.Labels);
        }
        return writer.Finish(new[] { new ReportFailure("broken.png", "broken.png: cannot decode image (corrupt, truncated or unsupported format)") })!;
    }

    /// <summary>Drops labels 3, 6, 9… and gives label 2 to label 1's pixels.</summary>
    static LabelImage Damaged(LabelImage truth)
    {
        var pred = new LabelImage(truth.Height, truth.Width, (int[])truth.Data.Clone());
        for (int i = 0; i < pred.Data.Length; i++)
        {
            int l = pred.Data[i];
            pred.Data[i] = l % 3 == 0 ? 0 : l == 1 ? 2 : l;
        }
        return pred;
    }
}
