namespace Nuclei.Core.Imaging;

/// <summary>
/// An instance label map: 0 is background, 1..N are nuclei. Row-major: index = y * Width + x.
/// </summary>
public sealed class LabelImage
{
    public int Height { get; }
    public int Width { get; }
    public int[] Data { get; }

    public LabelImage(int height, int width, int[]? data = null)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"label map size must be positive, got {height}x{width}");
        data ??= new int[(long)height * width];
        if (data.LongLength != (long)height * width)
            throw new ArgumentException($"label data length {data.LongLength} does not match {height}x{width}");
        Height = height; Width = width; Data = data;
    }

    public int this[int y, int x]
    {
        get => Data[y * Width + x];
        set => Data[y * Width + x] = value;
    }

    public int PixelCount => Height * Width;

    /// <summary>Largest label value (0 when the map is empty).</summary>
    public int MaxLabel()
    {
        int max = 0;
        foreach (int v in Data) if (v > max) max = v;
        return max;
    }
}
