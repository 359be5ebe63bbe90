using OpenCvSharp;

namespace Nuclei.Core.Data.Checking;

/// <summary>Whether an image file has an alpha channel, and whether any pixel of it is transparent.</summary>
internal enum AlphaState { None, Opaque, Transparent }

internal static class AlphaChannel
{
    /// <summary>Reads the file as stored (the image readers drop alpha) and inspects its alpha channel.</summary>
    public static AlphaState Inspect(string path)
    {
        Mat mat;
        try { mat = Nuclei.Core.Imaging.ImageIO.Decode(path); } // through the size and completeness checks of every reader
        catch (NucleiInputException) { return AlphaState.None; } // reading the image reports it
        using var stored = mat;
        int channels = mat.Channels();
        if (channels is not (2 or 4)) return AlphaState.None;
        using var alpha = new Mat();
        Cv2.ExtractChannel(mat, alpha, channels - 1);
        Cv2.MinMaxLoc(alpha, out double min, out _);
        double opaque = mat.Depth() switch { MatType.CV_8U => 255, MatType.CV_16U => 65535, _ => 1 };
        return min >= opaque ? AlphaState.Opaque : AlphaState.Transparent;
    }
}
