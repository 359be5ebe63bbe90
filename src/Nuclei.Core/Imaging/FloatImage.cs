namespace Nuclei.Core.Imaging;

/// <summary>
/// An image as interleaved float samples (row-major, channels last: index = (y * Width + x) * Channels + c),
/// scaled to 0..1 whatever the bit depth of the file it came from. Probability maps are 1-channel FloatImages.
/// </summary>
public sealed class FloatImage
{
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public float[] Data { get; }

    public FloatImage(int height, int width, int channels, float[]? data = null)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"image size must be positive, got {height}x{width}");
        if (channels <= 0) throw new ArgumentException($"channel count must be positive, got {channels}");
        data ??= new float[(long)height * width * channels];
        if (data.LongLength != (long)height * width * channels)
            throw new ArgumentException($"data length {data.LongLength} does not match {height}x{width}x{channels}");
        Height = height; Width = width; Channels = channels; Data = data;
    }

    public float this[int y, int x, int c = 0]
    {
        get => Data[(y * Width + x) * Channels + c];
        set => Data[(y * Width + x) * Channels + c] = value;
    }

    public int PixelCount => Height * Width;
}
