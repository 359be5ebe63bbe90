namespace Nuclei.Torch.Training;

/// <summary>
/// A validation result: mean AP and pixel IoU over all images, and mean AP per kind of image.
/// <see cref="Balanced"/>, the mean over kinds, is what checkpoint selection uses, so that the many fluorescence images
/// cannot outvote the few brightfield ones.
/// </summary>
internal sealed record ValidationScore(double MeanAp, double PixelIou, IReadOnlyDictionary<string, double> ByKind)
{
    public static ValidationScore None { get; } = new(double.NaN, double.NaN, new Dictionary<string, double>());

    public double Balanced => Nuclei.Core.Metrics.KindMean.Of(ByKind.Values, MeanAp);

    public static ValidationScore Of(IReadOnlyList<(string Kind, double Ap, double Iou)> images)
    {
        if (images.Count == 0) return None;
        var byKind = images.Where(s => s.Kind.Length > 0).GroupBy(s => s.Kind)
            .ToDictionary(g => g.Key, g => g.Average(s => s.Ap));
        return new ValidationScore(images.Average(s => s.Ap), images.Average(s => s.Iou), byKind);
    }

    public string Describe() => ByKind.Count == 0 ? "" :
        string.Join(", ", ByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => FormattableString.Invariant($"{k.Key} {k.Value:0.0000}")));
}
