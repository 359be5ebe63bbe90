namespace Nuclei.Torch.Inference;

/// <summary>
/// The scale one image was segmented at: the nucleus diameter taken for it (given with --diameter PX, or estimated by
/// --diameter auto; null without --diameter, or when auto could not trust its estimate) and the factor the image was
/// resized by before the network saw it (1: its own scale). <see cref="Doubt"/> says why --diameter auto kept the
/// image at its own scale when its first pass was not fit to measure nuclei by.
/// </summary>
public sealed record ImageScale(double? Diameter, double Factor, string? Doubt = null)
{
    /// <summary>No diameter: the image as it is.</summary>
    public static ImageScale Native { get; } = new(null, 1.0);
}
