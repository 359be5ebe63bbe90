using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Bench.Hostile;

/// <summary>
/// The valid images of the corpus: bright, slightly textured nuclei with soft edges on a dark noisy background, as a
/// fluorescence image looks, so that both the network and the classical method must find exactly
/// <see cref="Count"/> of them. Also their label map, the truth the runner scores label-map controls against.
/// </summary>
internal static class ControlImages
{
    public const int Size = 128;

    /// <summary>Centres and radii, far enough apart that no two touch.</summary>
    static readonly (int Y, int X, int R)[] Nuclei = [(28, 28, 10), (28, 92, 9), (64, 58, 8), (100, 26, 9), (100, 98, 10), (60, 108, 7)];

    public static int Count => Nuclei.Length;

    /// <summary>The image as floats in 0..1 (one channel).</summary>
    public static FloatImage Image()
    {
        var rng = new Random(7);
        var image = new FloatImage(Size, Size, 1);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                float v = 0.06f + 0.03f * (float)rng.NextDouble();
                foreach (var (cy, cx, r) in Nuclei)
                {
                    double d = Math.Sqrt((y - cy) * (y - cy) + (x - cx) * (x - cx));
                    double inside = Math.Clamp(r + 0.5 - d, 0, 1.5) / 1.5; // a soft edge of 1.5 px
                    v = Math.Max(v, (float)(inside * (0.7 + 0.1 * Math.Sin(x * 0.9) * Math.Cos(y * 0.7))));
                }
                image.Data[y * Size + x] = v;
            }
        return image;
    }

    /// <summary>The label map: nucleus k (from 1) where the disc is more than half lit.</summary>
    public static LabelImage Labels()
    {
        var labels = new LabelImage(Size, Size);
        for (int k = 0; k < Nuclei.Length; k++)
        {
            var (cy, cx, r) = Nuclei[k];
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) labels.Data[y * Size + x] = k + 1;
        }
        return labels;
    }

    /// <summary>The image encoded as 8-bit <paramref name="extension"/> (.png, .jpg, .bmp, .tif).</summary>
    public static byte[] Encoded8(string extension) => ImageIO.EncodeImage8(Image(), extension);

    /// <summary>The image as a 16-bit gray TIFF, as microscopes write it.</summary>
    public static byte[] Tiff16()
    {
        var image = Image();
        using var mat = new Mat(Size, Size, MatType.CV_16UC1);
        for (int i = 0; i < image.Data.Length; i++) mat.Set(i / Size, i % Size, (ushort)(image.Data[i] * 65535));
        Cv2.ImEncode(".tif", mat, out byte[] bytes);
        return bytes;
    }

    /// <summary>The image in the blue channel of an RGB PNG (a DAPI stain shown in colour).</summary>
    public static byte[] BluePng()
    {
        var gray = Image();
        var rgb = new FloatImage(Size, Size, 3);
        for (int i = 0; i < gray.Data.Length; i++) rgb.Data[i * 3 + 2] = gray.Data[i];
        return ImageIO.EncodeImage8(rgb, ".png");
    }

    /// <summary>The image's samples as little-endian IEEE floats of 32 or 16 bits (TIFF SampleFormat 3).</summary>
    public static byte[] FloatSamples(int bits)
    {
        var data = Image().Data;
        using var bytes = new MemoryStream();
        var w = new BinaryWriter(bytes);
        foreach (float v in data)
            if (bits == 32) w.Write(v);
            else w.Write((Half)v);
        return bytes.ToArray();
    }

    /// <summary>The image as a page of <see cref="TiffFile"/> (8-bit gray), with an optional ImageDescription.</summary>
    public static TiffPage Page8(string? description = null) =>
        new(Size, Size, Image().Data.Select(v => (byte)Math.Round(v * 255)).ToArray(), Description: description);
}
