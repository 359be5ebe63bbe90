using Nuclei.Core.Imaging;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Reading a probability map made elsewhere (ilastik, another network): 8/16-bit PNG or TIFF (scaled to 0..1) or
/// float TIFF already in 0..1. Bad maps get a <see cref="NucleiInputException"/> naming the file.
/// </summary>
internal static class ProbabilityMaps
{
    /// <summary>
    /// Reads one map as a 1-channel FloatImage. A colour file is accepted when its channels are equal (a gray map
    /// saved as RGB). NaN and values outside 0..1 are refused.
    /// </summary>
    public static FloatImage Read(string path)
    {
        var image = ImageIO.ReadSamples(path);
        var map = SingleChannel(image, path);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        int nan = 0;
        foreach (float v in map.Data)
        {
            if (float.IsNaN(v)) { nan++; continue; }
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (nan > 0) throw new NucleiInputException(path, $"probability map contains {nan} NaN value(s)");
        if (min < 0 || max > 1)
            throw new NucleiInputException(path, $"probability map values must be within 0..1, found {min:G4}..{max:G4} (float maps must be scaled to 0..1)");
        return map;
    }

    static FloatImage SingleChannel(FloatImage image, string path)
    {
        if (image.Channels == 1) return image;
        int c = image.Channels, n = image.PixelCount;
        var data = new float[n];
        for (int i = 0; i < n; i++)
        {
            float v = image.Data[i * c];
            for (int k = 1; k < c; k++)
                if (image.Data[i * c + k] != v && !(float.IsNaN(v) && float.IsNaN(image.Data[i * c + k])))
                    throw new NucleiInputException(path, $"probability map has {c} channels that differ; expected a single-channel (gray) map");
            data[i] = v;
        }
        return new FloatImage(image.Height, image.Width, 1, data);
    }
}
