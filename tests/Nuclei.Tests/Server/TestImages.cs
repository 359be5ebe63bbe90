using OpenCvSharp;

namespace Nuclei.Tests.Server;

/// <summary>Small encoded images for the server tests: three bright disks of radius 4, 8 and 12 on black.</summary>
public static class TestImages
{
    public const int Disks = 3;
    /// <summary>Disks left when nuclei under 100 pixels are dropped (only r = 8 and r = 12 are larger).</summary>
    public const int DisksOver100Pixels = 2;

    public static byte[] Png() => Encode(".png", MatType.CV_8UC1, 255);

    /// <summary>A 16-bit TIFF (disks at 60000 of 65535).</summary>
    public static byte[] Tiff16() => Encode(".tif", MatType.CV_16UC1, 60000);

    public static byte[] Jpeg() => Encode(".jpg", MatType.CV_8UC3, 255);

    static byte[] Encode(string extension, MatType type, double bright)
    {
        using var mat = new Mat(96, 96, type, Scalar.All(0));
        foreach (var (x, y, r) in new[] { (20, 20, 4), (60, 24, 8), (40, 66, 12) })
            Cv2.Circle(mat, new Point(x, y), r, Scalar.All(bright), -1);
        Cv2.ImEncode(extension, mat, out byte[] bytes);
        return bytes;
    }
}
