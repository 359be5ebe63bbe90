using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Core.Data.PseudoLabels;

/// <summary>
/// How sure a model is of each nucleus it found: the mean body (semantic) probability over the nucleus' pixels, the
/// per-object score used to filter pseudo-labels (e.g. Lee, "Pseudo-Label", ICML 2013 workshop; here per object
/// rather than per image). Keeping only confident nuclei trades missed nuclei for cleaner labels.
/// </summary>
internal static class NucleusConfidence
{
    /// <summary>Mean probability of each label 1..N (index = label; 0 for absent labels).</summary>
    public static double[] Of(LabelImage labels, FloatImage body)
    {
        if (body.Channels != 1 || body.Height != labels.Height || body.Width != labels.Width)
            throw new ArgumentException($"the body map must be one channel of {labels.Height}x{labels.Width}");
        int max = labels.MaxLabel();
        var sum = new double[max + 1];
        var count = new int[max + 1];
        for (int i = 0; i < labels.Data.Length; i++)
        {
            int l = labels.Data[i];
            if (l == 0) continue;
            sum[l] += body.Data[i];
            count[l]++;
        }
        for (int l = 1; l <= max; l++) sum[l] = count[l] == 0 ? 0 : sum[l] / count[l];
        sum[0] = 0;
        return sum;
    }

    /// <summary>The nuclei whose confidence reaches <paramref name="threshold"/>, renumbered 1..N.</summary>
    public static LabelImage KeepConfident(LabelImage labels, IReadOnlyList<double> confidence, double threshold)
    {
        var data = new int[labels.Data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            int l = labels.Data[i];
            if (l > 0 && confidence[l] >= threshold) data[i] = l;
        }
        RelabelSequential.Apply(data);
        return new LabelImage(labels.Height, labels.Width, data);
    }
}
