namespace Nuclei.Torch.Inference;

/// <summary>
/// Per-channel affine input normalisation, x' = (x - mean[c]) / std[c], as training applied it.
/// Kept affine on purpose: the predictor must also normalise the constant (black/white) border it adds,
/// and with an affine map the border value is known without normalising the border into the statistics.
/// </summary>
public sealed class InputNormalization
{
    public enum NormalizationKind
    {
        /// <summary>Values stay 0..1.</summary>
        None,
        /// <summary>Fixed mean and standard deviation per channel (e.g. from the training set).</summary>
        Fixed,
        /// <summary>Mean and standard deviation of each channel of the image itself.</summary>
        PerImage,
    }

    public NormalizationKind Kind { get; }
    public float[] Mean { get; }
    public float[] Std { get; }

    private InputNormalization(NormalizationKind kind, float[] mean, float[] std)
    {
        Kind = kind; Mean = mean; Std = std;
    }

    public static InputNormalization None { get; } = new(NormalizationKind.None, Array.Empty<float>(), Array.Empty<float>());

    public static InputNormalization PerImage { get; } = new(NormalizationKind.PerImage, Array.Empty<float>(), Array.Empty<float>());

    public static InputNormalization Fixed(float[] mean, float[] std)
    {
        if (mean.Length == 0 || mean.Length != std.Length) throw new ArgumentException("mean and std need one value per channel (or one for all)");
        if (std.Any(s => !(s > 0))) throw new ArgumentException("std must be positive");
        return new(NormalizationKind.Fixed, mean, std);
    }

    /// <summary>The (scale, shift) per channel for this CHW image: x' = x * scale + shift.</summary>
    public (float[] Scale, float[] Shift) AffineFor(float[] chw, int channels, int height, int width)
    {
        var scale = new float[channels];
        var shift = new float[channels];
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            double mean, std;
            switch (Kind)
            {
                case NormalizationKind.None:
                    mean = 0; std = 1; break;
                case NormalizationKind.Fixed:
                    mean = Mean[Math.Min(c, Mean.Length - 1)]; std = Std[Math.Min(c, Std.Length - 1)]; break;
                default:
                    double sum = 0, sumSq = 0;
                    for (int i = c * plane, end = i + plane; i < end; i++) { sum += chw[i]; sumSq += (double)chw[i] * chw[i]; }
                    mean = sum / plane;
                    // A flat channel has no spread: only centre it (avoid dividing by ~0).
                    std = Math.Sqrt(Math.Max(0, sumSq / plane - mean * mean));
                    if (std < 1e-6) std = 1;
                    break;
            }
            scale[c] = (float)(1 / std);
            shift[c] = (float)(-mean / std);
        }
        return (scale, shift);
    }

    public override string ToString() => Kind switch
    {
        NormalizationKind.Fixed => $"fixed mean=[{string.Join(",", Mean)}] std=[{string.Join(",", Std)}]",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
