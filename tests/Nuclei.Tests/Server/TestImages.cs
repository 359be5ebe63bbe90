using Nuclei.Tests.Inputs;
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

    /// <summary>Disks of the second channel of <see cref="TwoChannelTiff"/>: five small ones elsewhere.</summary>
    public const int SecondChannelDisks = 5;

    static readonly (int X, int Y, int R)[] DiskSpots = { (20, 20, 4), (60, 24, 8), (40, 66, 12) };
    static readonly (int X, int Y, int R)[] SecondChannelSpots = { (10, 50, 4), (20, 85, 4), (75, 60, 5), (85, 85, 4), (80, 10, 4) };

    /// <summary>
    /// A 16-bit OME-TIFF of two channels, DAPI (the three disks) and GFP (<see cref="SecondChannelDisks"/> others), or
    /// as <paramref name="names"/> names them.
    /// </summary>
    public static byte[] TwoChannelTiff(string[]? names = null)
    {
        string path = Path.Combine(Path.GetTempPath(), $"nuclei-two-channel-{Guid.NewGuid():N}.ome.tif");
        try
        {
            TestTiffs.Write(path, 96, 96, [Plane(DiskSpots), Plane(SecondChannelSpots)], TestTiffs.OmeXml(96, 96, 2, 1, names: names ?? ["DAPI", "GFP"]));
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    /// <summary>A 16-bit TIFF of two pages and no metadata (the three disks on both).</summary>
    public static byte[] TwoPageTiff()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nuclei-two-page-{Guid.NewGuid():N}.tif");
        try
        {
            TestTiffs.Write(path, 96, 96, [Plane(DiskSpots), Plane(DiskSpots)]);
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    static ushort[] Plane((int X, int Y, int R)[] spots)
    {
        using var mat = Draw(MatType.CV_16UC1, 60000, spots);
        mat.GetArray(out ushort[] samples);
        return samples;
    }

    static Mat Draw(MatType type, double bright, (int X, int Y, int R)[] spots)
    {
        var mat = new Mat(96, 96, type, Scalar.All(0));
        foreach (var (x, y, r) in spots) Cv2.Circle(mat, new Point(x, y), r, Scalar.All(bright), -1);
        return mat;
    }

    static byte[] Encode(string extension, MatType type, double bright)
    {
        using var mat = Draw(type, bright, DiskSpots);
        Cv2.ImEncode(extension, mat, out byte[] bytes);
        return bytes;
    }
}
