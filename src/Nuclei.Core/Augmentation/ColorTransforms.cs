using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// Photometric transforms on 0..1 images (labels are untouched). Each returns a new image; results are
/// clamped to 0..1. Luminance uses the ITU-R BT.601 weights, hue rotation the YIQ colour space.
/// </summary>
internal static class ColorTransforms
{
    /// <summary>Brightness, contrast, saturation and hue changed by random factors within ±the given amounts.</summary>
    public static FloatImage Jitter(FloatImage img, double brightness, double contrast, double saturation, double hue, Random rng)
    {
        var dst = Copy(img);
        var d = dst.Data;
        float b = (float)(1 + Uniform(rng, brightness));
        for (int i = 0; i < d.Length; i++) d[i] *= b;

        float c = (float)(1 + Uniform(rng, contrast));
        float mean = 0; foreach (float v in d) mean += v; mean /= d.Length;
        for (int i = 0; i < d.Length; i++) d[i] = (d[i] - mean) * c + mean;

        if (img.Channels >= 3)
        {
            float s = (float)(1 + Uniform(rng, saturation));
            double theta = Uniform(rng, hue) * 2 * Math.PI;
            float cos = (float)Math.Cos(theta), sin = (float)Math.Sin(theta);
            int ch = img.Channels;
            for (int p = 0; p < img.PixelCount; p++)
            {
                int o = p * ch;
                float r = d[o], g = d[o + 1], bl = d[o + 2];
                // RGB → YIQ; rotate the chroma plane (hue) and scale it (saturation); back to RGB.
                float y = 0.299f * r + 0.587f * g + 0.114f * bl;
                float iq = 0.596f * r - 0.274f * g - 0.322f * bl;
                float q = 0.211f * r - 0.523f * g + 0.312f * bl;
                float i2 = s * (cos * iq - sin * q), q2 = s * (sin * iq + cos * q);
                d[o] = y + 0.956f * i2 + 0.621f * q2;
                d[o + 1] = y - 0.272f * i2 - 0.647f * q2;
                d[o + 2] = y - 1.106f * i2 + 1.703f * q2;
            }
        }
        Clamp(d);
        return dst;
    }

    /// <summary>The first three channels in a random order.</summary>
    public static FloatImage ShuffleChannels(FloatImage img, Random rng)
    {
        int ch = img.Channels;
        var order = Enumerable.Range(0, ch).ToArray();
        rng.Shuffle(order);
        var dst = new FloatImage(img.Height, img.Width, ch);
        for (int p = 0; p < img.PixelCount; p++)
            for (int c = 0; c < ch; c++) dst.Data[p * ch + c] = img.Data[p * ch + order[c]];
        return dst;
    }

    /// <summary>Luminance copied into every channel (keeps the channel count).</summary>
    public static FloatImage ToGray(FloatImage img)
    {
        int ch = img.Channels;
        if (ch < 3) return Copy(img);
        var lum = Luminance(img);
        var dst = new FloatImage(img.Height, img.Width, ch);
        for (int p = 0; p < img.PixelCount; p++)
            for (int c = 0; c < ch; c++) dst.Data[p * ch + c] = lum[p];
        return dst;
    }

    /// <summary>Each pixel's luminance (the first channel of an image with fewer than three).</summary>
    public static float[] Luminance(FloatImage img)
    {
        var lum = new float[img.PixelCount];
        int ch = img.Channels;
        var d = img.Data;
        for (int p = 0; p < lum.Length; p++)
            lum[p] = ch >= 3 ? 0.299f * d[p * ch] + 0.587f * d[p * ch + 1] + 0.114f * d[p * ch + 2] : d[p * ch];
        return lum;
    }

    /// <summary>A 1- or 2-channel image as 3 channels (grey replicated); 3 channels unchanged; more: first three.</summary>
    public static FloatImage ToThreeChannels(FloatImage img)
    {
        if (img.Channels == 3) return img;
        var dst = new FloatImage(img.Height, img.Width, 3);
        int ch = img.Channels;
        for (int p = 0; p < img.PixelCount; p++)
            for (int c = 0; c < 3; c++) dst.Data[p * 3 + c] = img.Data[p * ch + (ch >= 3 ? c : 0)];
        return dst;
    }

    public static FloatImage Invert(FloatImage img)
    {
        var dst = Copy(img);
        for (int i = 0; i < dst.Data.Length; i++) dst.Data[i] = 1f - dst.Data[i];
        return dst;
    }

    /// <summary>Additive Gaussian noise (sigma) and multiplicative speckle noise (1 + N(0, speckle)).</summary>
    public static FloatImage AddNoise(FloatImage img, double sigma, double speckle, Random rng)
    {
        var dst = Copy(img);
        var d = dst.Data;
        // Without speckle one draw per value, not two: the synthetic stain's sensor noise keeps its random stream.
        for (int i = 0; i < d.Length; i++)
            d[i] = speckle == 0
                ? (float)(d[i] + sigma * ElasticDistortion.Gaussian(rng))
                : (float)(d[i] * (1 + speckle * ElasticDistortion.Gaussian(rng)) + sigma * ElasticDistortion.Gaussian(rng));
        Clamp(d);
        return dst;
    }

    /// <summary>Contrast-limited adaptive histogram equalisation (OpenCV CLAHE) of each channel at 8 bits.</summary>
    public static unsafe FloatImage Clahe(FloatImage img, double clipLimit = 2.0, int tiles = 8)
    {
        var dst = new FloatImage(img.Height, img.Width, img.Channels);
        using var clahe = Cv2.CreateCLAHE(clipLimit, new Size(tiles, tiles));
        var plane = new byte[img.PixelCount];
        int ch = img.Channels;
        for (int c = 0; c < ch; c++)
        {
            for (int p = 0; p < img.PixelCount; p++) plane[p] = (byte)Math.Clamp((int)MathF.Round(img.Data[p * ch + c] * 255f), 0, 255);
            fixed (byte* pp = plane)
            {
                using var m = Mat.FromPixelData(img.Height, img.Width, MatType.CV_8UC1, (IntPtr)pp);
                clahe.Apply(m, m);
            }
            for (int p = 0; p < img.PixelCount; p++) dst.Data[p * ch + c] = plane[p] / 255f;
        }
        return dst;
    }

    static double Uniform(Random rng, double amount) => (rng.NextDouble() * 2 - 1) * amount;

    static FloatImage Copy(FloatImage img) => new(img.Height, img.Width, img.Channels, (float[])img.Data.Clone());

    static void Clamp(float[] d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = Math.Clamp(d[i], 0f, 1f);
    }
}
