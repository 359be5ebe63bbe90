using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Inference;

/// <summary>
/// What a constant black (0) or white (1) border becomes after training's normalisation. That normalisation is
/// affine per channel (x·a + b, with a and b possibly computed from the image, e.g. percentile stretching),
/// so a and b are recovered from two pixels of different value; normalising the padded image instead would
/// let the border change the image's own statistics.
/// </summary>
internal static class BorderValues
{
    /// <param name="raw">the image (HWC) as given to the normaliser</param>
    /// <param name="planar">its normalised planar CHW values</param>
    /// <param name="value">the raw border value (0 black, 1 white)</param>
    public static float[] Normalized(FloatImage raw, float[] planar, float value)
    {
        int c = raw.Channels, n = raw.PixelCount;
        var result = new float[c];
        for (int k = 0; k < c; k++)
        {
            // first pixel, and the pixel whose raw value differs most from it
            float x0 = raw.Data[k], y0 = planar[k * n];
            int far = 0; float farDiff = 0;
            for (int p = 1; p < n; p++)
            {
                float d = Math.Abs(raw.Data[p * c + k] - x0);
                if (d > farDiff) { farDiff = d; far = p; }
            }
            if (farDiff < 1e-6f)
            {
                // a flat channel: its scale is unknown; the border looks like the image (as replicate would).
                result[k] = y0;
                continue;
            }
            float a = (planar[k * n + far] - y0) / (raw.Data[far * c + k] - x0);
            result[k] = y0 + a * (value - x0);
        }
        return result;
    }
}
