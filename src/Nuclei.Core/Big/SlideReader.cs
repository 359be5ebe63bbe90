using NetVips;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Big;

/// <summary>
/// Reads regions of an image too large to hold, through libvips (NetVips): tiled and BigTIFF, pyramidal and OME-TIFF
/// (their first, full-resolution page), and plain PNG/JPEG/TIFF. Tiled files are read tile by tile where a region
/// needs them; a format that can only be decoded from the start (PNG, JPEG, strip TIFF) is decoded once, and libvips
/// keeps an image larger than its disc threshold (100 MB by default, <c>VIPS_DISC_THRESHOLD</c>) in a temporary
/// file instead of memory (libvips, "How it opens files"). Regions come out as <see cref="ImageIO.ReadImage"/> gives
/// whole images: floats in 0..1 (8-bit /255, 16-bit /65535, float as is), alpha dropped, colour in R,G,B order.
/// </summary>
public sealed class SlideReader : IDisposable
{
    readonly Image opened, image;
    readonly double scale;

    public string Path { get; }
    public int Height => image.Height;
    public int Width => image.Width;
    /// <summary>Channels of the regions read (alpha excluded).</summary>
    public int Channels => image.Bands;

    /// <summary>The slide's samples (alpha dropped) in their stored format, for whole-slide measurements.</summary>
    internal Image Pixels => image;

    /// <summary>Stored sample value × this = the 0..1 float value regions come out as.</summary>
    internal double SampleScale => scale;

    public SlideReader(string path)
    {
        Path = path;
        opened = Open(path, Enums.Access.Random);
        try
        {
            scale = opened.Format switch
            {
                Enums.BandFormat.Uchar => 1.0 / 255,
                Enums.BandFormat.Ushort => 1.0 / 65535,
                Enums.BandFormat.Float or Enums.BandFormat.Double => 1.0,
                var f => throw new NucleiInputException(path, $"sample format {f.ToString().ToLowerInvariant()} is not supported (8-bit, 16-bit or float images)"),
            };
            image = opened.HasAlpha() ? opened.ExtractBand(0, n: opened.Bands - 1) : opened;
            if (image.Bands is not (1 or 3))
                throw new NucleiInputException(path, $"{image.Bands} channels (without alpha) is not supported: gray or RGB");
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    /// <summary>The image's size from its header alone (nothing decoded), or null when libvips cannot read it.</summary>
    public static (int Height, int Width)? SizeOf(string path)
    {
        try
        {
            using var header = Image.NewFromFile(path, access: Enums.Access.Sequential);
            return (header.Height, header.Width);
        }
        catch (VipsException) { return null; }
    }

    /// <summary>The pixels of <paramref name="region"/>.</summary>
    public FloatImage Read(PixelRect region)
    {
        if (region.X < 0 || region.Y < 0 || region.Right > Width || region.Bottom > Height || region.Width <= 0 || region.Height <= 0)
            throw new ArgumentOutOfRangeException(nameof(region), $"{region} is not inside the {Width}x{Height} image");
        float[] values;
        try
        {
            using var crop = image.Crop(region.X, region.Y, region.Width, region.Height);
            using var floats = crop.Cast(Enums.BandFormat.Float);
            values = floats.WriteToMemory<float>();
        }
        catch (VipsException e)
        {
            throw new NucleiInputException(Path, $"cannot read region {region.Width}x{region.Height} at ({region.X},{region.Y}): {UntrustedText.Clean(e.Message, 300)}");
        }
        if (scale != 1.0)
            for (int i = 0; i < values.Length; i++) values[i] = (float)(values[i] * scale);
        return new FloatImage(region.Height, region.Width, Channels, values);
    }

    static Image Open(string path, Enums.Access access)
    {
        if (!File.Exists(path)) throw new NucleiInputException(path, "image file not found");
        try { return Image.NewFromFile(path, access: access); }
        catch (VipsException e) { throw new NucleiInputException(path, $"libvips cannot read it: {UntrustedText.Clean(e.Message, 300)}"); }
    }

    public void Dispose()
    {
        image.Dispose();
        opened.Dispose();
    }
}
