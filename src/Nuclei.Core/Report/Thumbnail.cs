using OpenCvSharp;

namespace Nuclei.Core.Report;

/// <summary>Small JPEG copies of pictures, embedded in a report as data URIs so it needs no files for its grid.</summary>
internal static class Thumbnail
{
    public const int DefaultSide = 192;

    /// <summary>The picture shrunk (never enlarged) to fit <paramref name="side"/>², as a <c>data:image/jpeg;base64,…</c> URI.</summary>
    public static string DataUri(Mat picture, int side = DefaultSide)
    {
        double scale = Math.Min(1.0, (double)side / Math.Max(picture.Width, picture.Height));
        using var small = new Mat();
        Cv2.Resize(picture, small, new Size(Math.Max(1, (int)Math.Round(picture.Width * scale)), Math.Max(1, (int)Math.Round(picture.Height * scale))),
            interpolation: InterpolationFlags.Area);
        Cv2.ImEncode(".jpg", small, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 85));
        return "data:image/jpeg;base64," + Convert.ToBase64String(jpeg);
    }
}
