namespace Nuclei.Core.Imaging;

/// <summary>
/// How much of what the network calls nucleus (semantic probability above <see cref="ForegroundProbability"/>) the
/// nuclei found cover: a model that sees nuclei but splits them into nothing (wrong scale, wrong kind of image) leaves
/// most of its foreground unlabelled. A foreground counts as <see cref="Substantial"/> from
/// <see cref="SubstantialShare"/> of the image and <see cref="SubstantialPixels"/> pixels, so a few specks on an empty
/// image raise nothing.
/// </summary>
internal sealed record NucleiCoverage(long ImagePx, long ForegroundPx, long NucleiPx, int Nuclei)
{
    public const float ForegroundProbability = 0.5f;
    public const double SubstantialShare = 0.01;
    public const long SubstantialPixels = 400;

    /// <summary>Nuclei covering less than this share of a substantial foreground are implausibly few.</summary>
    public const double PlausibleShare = 0.10;

    /// <summary>Labelled pixels over foreground pixels (1 without foreground).</summary>
    public double Fraction => ForegroundPx == 0 ? 1.0 : (double)NucleiPx / ForegroundPx;

    public bool Substantial => ForegroundPx >= SubstantialPixels && ForegroundPx >= SubstantialShare * ImagePx;

    /// <summary>True when the nuclei cover under <see cref="PlausibleShare"/> of a substantial foreground.</summary>
    public bool TooLittle => Substantial && Fraction < PlausibleShare;

    /// <param name="semantic">the semantic probability map, of the labels' size</param>
    public static NucleiCoverage Of(LabelImage labels, FloatImage semantic)
    {
        if (semantic.Height != labels.Height || semantic.Width != labels.Width)
            throw new ArgumentException($"labels are {labels.Height}x{labels.Width} but the map is {semantic.Height}x{semantic.Width}");
        long foreground = 0, nuclei = 0;
        int channels = semantic.Channels;
        for (int p = 0; p < labels.PixelCount; p++)
        {
            if (semantic.Data[p * channels] > ForegroundProbability) foreground++;
            if (labels.Data[p] != 0) nuclei++;
        }
        return new NucleiCoverage(labels.PixelCount, foreground, nuclei, labels.MaxLabel());
    }
}
