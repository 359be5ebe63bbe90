using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Tests.DataTools;

/// <summary>Writes small synthetic DSB-layout samples: an image and one 8-bit mask file per nucleus.</summary>
public sealed class PlantedDataset
{
    public const int H = 32, W = 40;
    public string Root { get; }

    public PlantedDataset(string root) => Root = root;

    /// <summary>A gray image (dark background, bright squares) with the given alpha (null: no alpha channel).</summary>
    public unsafe void Image(string id, byte? alpha = null, int h = H, int w = W, byte background = 10)
    {
        string path = Path.Combine(Root, id, "images", id + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mat = new Mat(h, w, alpha is null ? MatType.CV_8UC1 : MatType.CV_8UC4, alpha is null ? new Scalar(background) : new Scalar(background, background, background, 255));
        if (alpha is byte a) mat.Set(0, 0, new Vec4b(background, background, background, a));
        Assert.True(Cv2.ImWrite(path, mat));
    }

    /// <summary>A mask: <paramref name="on"/> says which pixels are foreground and with which value (0 = background).</summary>
    public unsafe void Mask(string id, string name, Func<int, int, byte> on, int h = H, int w = W)
    {
        string path = Path.Combine(Root, id, "masks", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mat = new Mat(h, w, MatType.CV_8UC1);
        var span = new Span<byte>((void*)mat.Data, h * w);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) span[y * w + x] = on(y, x);
        Assert.True(Cv2.ImWrite(path, mat));
    }

    /// <summary>A filled rectangle mask (0/255).</summary>
    public void Box(string id, string name, int top, int left, int height, int width) =>
        Mask(id, name, (y, x) => (byte)(y >= top && y < top + height && x >= left && x < left + width ? 255 : 0));

    public static FloatImage Filled(int h, int w, params float[] channelValues)
    {
        var image = new FloatImage(h, w, channelValues.Length);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = channelValues[i % channelValues.Length];
        return image;
    }
}
