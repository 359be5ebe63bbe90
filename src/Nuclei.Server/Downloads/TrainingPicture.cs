using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Server.Downloads;

/// <summary>
/// An image of the session (the plane that was segmented, as decoded) as a PNG a trainer reads back to the same
/// samples: 8-bit when every sample is a whole number of 255ths (an 8-bit upload), else 16-bit (exact for a 16-bit
/// upload); a float image outside 0..1 is stretched from its minimum to its maximum, which is said in its note.
/// </summary>
internal static class TrainingPicture
{
    /// <returns>the PNG, and how its samples relate to the decoded image's</returns>
    public static (byte[] Png, string Note) Encode(FloatImage image)
    {
        var (min, max) = Range(image.Data);
        bool unit = min >= 0 && max <= 1;
        if (unit && IsEightBit(image.Data)) return (Write(image, MatType.CV_8U, 255, 0), "8-bit, as decoded");
        if (unit) return (Write(image, MatType.CV_16U, 65535, 0), "16-bit, as decoded");
        double scale = max > min ? 65535 / (max - min) : 0;
        return (Write(image, MatType.CV_16U, scale, -min * scale),
            FormattableString.Invariant($"16-bit, float samples stretched from {min:G6}..{max:G6} to 0..65535"));
    }

    static (float Min, float Max) Range(float[] data)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in data) { min = Math.Min(min, v); max = Math.Max(max, v); }
        return (min, max);
    }

    static bool IsEightBit(float[] data)
    {
        foreach (float v in data)
            if (Math.Abs(v * 255 - Math.Round(v * 255)) > 1e-3) return false;
        return true;
    }

    /// <summary>Samples × <paramref name="scale"/> + <paramref name="shift"/>, rounded, in B,G,R order for a colour image.</summary>
    static byte[] Write(FloatImage image, int depth, double scale, double shift)
    {
        using var floats = new Mat(image.Height, image.Width, MatType.CV_32FC(image.Channels));
        floats.SetArray(image.Data);
        using var samples = new Mat();
        floats.ConvertTo(samples, MatType.MakeType(depth, image.Channels), scale, shift);
        if (image.Channels == 3) Cv2.CvtColor(samples, samples, ColorConversionCodes.RGB2BGR);
        Cv2.ImEncode(".png", samples, out byte[] png);
        return png;
    }
}
