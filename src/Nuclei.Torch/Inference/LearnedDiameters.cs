namespace Nuclei.Torch.Inference;

/// <summary>
/// The nucleus diameters a model segments well at their own scale, from its median training diameter and the range of
/// the scale augmentation it was trained with ([pre] min_scale..max_scale). --diameter auto does not rescale images
/// whose nuclei it finds within (a diameter the user gives always rescales): on the bundled model's validation images, rescaling nuclei of 10-58 px to the median cost 0.03-0.19 mean
/// AP per image and never helped. Smaller nuclei are enlarged (they gain from more pixels: +0.12 mean AP on the
/// validation images halved). The largest is the median × max_scale × 2, because the training images' own sizes
/// spread about that far above the median (DSB2018: the 95th percentile of per-image medians is 2.5× the median).
/// A checkpoint that does not record its scale range reads config/default.ini's.
/// </summary>
internal sealed record LearnedDiameters(double Median, double MinScale = 1.0, double MaxScale = 1.0)
{
    public double Smallest => Median * MinScale;

    public double Largest => MaxScale > 1.0 ? Median * MaxScale * 2 : Median;

    public bool Covers(double diameter) => diameter >= Smallest && diameter <= Largest;

    /// <summary>The sizes segmented as they are, for messages: e.g. "10-80 px".</summary>
    public string SizeRange => FormattableString.Invariant($"{Smallest:F0}-{Largest:F0} px");

    /// <summary>From a checkpoint's median diameter and its saved [pre] scale range; null without a median.</summary>
    public static LearnedDiameters? Of(double? median, CheckpointSettings settings) => median is double m
        ? new LearnedDiameters(m, settings.GetDouble("pre", "min_scale", min: 0.01, max: 1.0), settings.GetDouble("pre", "max_scale", min: 1.0, max: 100.0))
        : null;

    public override string ToString() => FormattableString.Invariant($"{Smallest:0.#}-{Largest:0.#} px (median {Median:0.#})");
}
