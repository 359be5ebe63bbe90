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
internal sealed class SlideReader : IDisposable
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

    /// <exception cref="NucleiInputException">the file is not readable, over <see cref="IO.ImageLimits.MaxPixels"/> or incomplete (see <see cref="IO.ImageGate"/>)</exception>
    public SlideReader(string path)
    {
        Path = path;
        IO.ImageGate.Open(path); // every page's size and the data's completeness, from the headers, before libvips maps anything
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

    /// <summary>
    /// The size of the page libvips reads (the first) from the headers alone (nothing decoded), after
    /// <see cref="IO.ImageGate"/> has checked every page; null for a file of several planes (multi-page TIFF), which
    /// is read plane by plane (<see cref="IO.MultiPlaneImage"/>), not block-wise.
    /// </summary>
    /// <exception cref="NucleiInputException">a page over the limits, a malformed or truncated file</exception>
    public static (long Height, long Width)? SizeOf(string path)
    {
        var declared = IO.ImageGate.Open(path);
        return declared.Planes.Count > 1 ? null : (declared.First.Height, declared.First.Width);
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
        // fail on truncated data: a libvips loader is permissive by default and fills what is missing
        var failOn = IO.ImageLimits.Current.AcceptTruncated ? Enums.FailOn.None : Enums.FailOn.Truncated;
        try { return Image.NewFromFile(path, access: access, failOn: failOn); }
        catch (VipsException e) { throw new NucleiInputException(path, $"libvips cannot read it: {UntrustedText.Clean(e.Message, 300)}"); }
    }

    public void Dispose()
    {
        image.Dispose();
        opened.Dispose();
    }
}
