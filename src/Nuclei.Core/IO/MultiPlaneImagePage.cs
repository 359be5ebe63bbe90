using BitMiracle.LibTiff.Classic;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.IO;

/// <summary>
/// One page (IFD) of a TIFF read with LibTiff.NET as floats in 0..1, like <see cref="ImageIO.ReadImage"/>:
/// 8-bit /255, 16-bit /65535, float as is; its samples per pixel become channels. Strips or tiles, either planar
/// configuration, any compression LibTiff decodes.
/// </summary>
internal static class MultiPlaneImagePage
{
    static MultiPlaneImagePage() => Tiff.SetErrorHandler(new QuietTiffErrors());

    /// <summary>Opens a TIFF for reading, or null when LibTiff cannot (then it is not a TIFF we can read plane by plane).</summary>
    public static Tiff? Open(string path)
    {
        try { return Tiff.Open(path, "r"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>The ImageDescription of the first page, if any.</summary>
    public static string? Description(Tiff tiff) =>
        tiff.SetDirectory(0) && tiff.GetField(TiffTag.IMAGEDESCRIPTION) is { } f ? f[0].ToString() : null;

    /// <summary>
    /// Reads <paramref name="page"/>, found by its IFD's offset: LibTiff.NET numbers directories in a 16-bit short,
    /// which cannot reach a page past 32,767. Its size passed <see cref="ImageGate.AdmitWhole"/> before.
    /// </summary>
    /// <exception cref="NucleiInputException">an unsupported sample type or a page LibTiff cannot decode.</exception>
    public static FloatImage Read(Tiff tiff, DeclaredPage page, string path)
    {
        var (width, height, bits, format, samples, separate, planes) = Decode(tiff, page, path);
        string where = $"page {page.Index + 1}";
        Func<byte[], int, float> sample = (bits, format) switch
        {
            (8, SampleFormat.UINT) => (b, i) => b[i] / 255f,
            (16, SampleFormat.UINT) => (b, i) => BitConverter.ToUInt16(b, 2 * i) / 65535f,
            (32, SampleFormat.IEEEFP) => (b, i) => BitConverter.ToSingle(b, 4 * i),
            (64, SampleFormat.IEEEFP) => (b, i) => (float)BitConverter.ToDouble(b, 8 * i),
            _ => throw new NucleiInputException(path, $"{where}: unsupported pixel type {bits}-bit {format} (expected 8- or 16-bit unsigned, or float)"),
        };
        int perPixel = separate ? 1 : samples;
        var image = new FloatImage(height, width, samples);
        var data = image.Data;
        for (int p = 0; p < planes.Length; p++)
            for (int i = 0; i < width * height * perPixel; i++)
                data[separate ? i * samples + p : i] = sample(planes[p], i);
        return image;
    }

    /// <summary>
    /// Reads <paramref name="page"/> as a label map, its values exactly as stored (<see cref="Read"/> scales them):
    /// one sample per pixel, 8-, 16- or 32-bit integers, or float holding whole numbers.
    /// </summary>
    /// <exception cref="NucleiInputException">several samples per pixel, another pixel type, or a value that is no label</exception>
    public static LabelImage ReadLabels(Tiff tiff, DeclaredPage page, string path)
    {
        var (width, height, bits, format, samples, _, planes) = Decode(tiff, page, path);
        string where = $"page {page.Index + 1}";
        if (samples != 1) throw new NucleiInputException(path, $"{where}: {samples} samples per pixel; a label map has one");
        Func<byte[], int, double> sample = (bits, format) switch
        {
            (8, SampleFormat.UINT) => (b, i) => b[i],
            (16, SampleFormat.UINT) => (b, i) => BitConverter.ToUInt16(b, 2 * i),
            (16, SampleFormat.INT) => (b, i) => BitConverter.ToInt16(b, 2 * i),
            (32, SampleFormat.UINT) => (b, i) => BitConverter.ToUInt32(b, 4 * i),
            (32, SampleFormat.INT) => (b, i) => BitConverter.ToInt32(b, 4 * i),
            (32, SampleFormat.IEEEFP) => (b, i) => BitConverter.ToSingle(b, 4 * i),
            (64, SampleFormat.IEEEFP) => (b, i) => BitConverter.ToDouble(b, 8 * i),
            _ => throw new NucleiInputException(path, $"{where}: unsupported label pixel type {bits}-bit {format} (expected 8-, 16- or 32-bit integers, or float)"),
        };
        var labels = new LabelImage(height, width);
        for (int i = 0; i < labels.Data.Length; i++)
        {
            double v = sample(planes[0], i);
            if (v < 0 || v != Math.Floor(v) || v > ImageLimits.Current.MaxLabel)
                throw new NucleiInputException(path, $"{where}: {v} at pixel {i % width},{i / width} is no label (whole numbers from 0 to {ImageLimits.Current.MaxLabel})");
            labels.Data[i] = (int)v;
        }
        return labels;
    }

    /// <summary>
    /// The samples of <paramref name="page"/>, found by its IFD's offset: LibTiff.NET numbers directories in a 16-bit
    /// short, which cannot reach a page past 32,767. One byte array per sample plane when the samples are stored apart.
    /// </summary>
    static (int Width, int Height, int Bits, SampleFormat Format, int Samples, bool Separate, byte[][] Planes) Decode(
        Tiff tiff, DeclaredPage page, string path)
    {
        string where = $"page {page.Index + 1}";
        if (!tiff.SetSubDirectory(page.Offset)) throw new NucleiInputException(path, $"{where}: cannot read it{QuietTiffErrors.Last()}");
        int width = Field(tiff, TiffTag.IMAGEWIDTH, 0), height = Field(tiff, TiffTag.IMAGELENGTH, 0);
        if (width != page.Width || height != page.Height)
            throw new NucleiInputException(path, $"{where}: LibTiff reads {width}x{height} where its header declares {page.Size}");
        int bits = Field(tiff, TiffTag.BITSPERSAMPLE, 1), samples = Field(tiff, TiffTag.SAMPLESPERPIXEL, 1);
        var format = (SampleFormat)Field(tiff, TiffTag.SAMPLEFORMAT, (int)SampleFormat.UINT);
        if (width <= 0 || height <= 0) throw new NucleiInputException(path, $"{where}: size {width}x{height}");
        if (bits is not (8 or 16 or 32 or 64)) throw new NucleiInputException(path, $"{where}: unsupported pixel type {bits}-bit {format}");

        bool separate = samples > 1 && (PlanarConfig)Field(tiff, TiffTag.PLANARCONFIG, (int)PlanarConfig.CONTIG) == PlanarConfig.SEPARATE;
        int perPixel = separate ? 1 : samples;
        long planeBytes = (long)width * perPixel * bits / 8 * height;
        if ((long)width * perPixel * bits / 8 > int.MaxValue || planeBytes > Array.MaxLength)
            throw new ImageLimitException(path, $"{where}: {width}x{height} with {samples} sample(s) of {bits} bits is over the {Array.MaxLength} bytes one plane may take here");
        int rowBytes = width * perPixel * bits / 8;
        var planes = new byte[separate ? samples : 1][];
        for (int p = 0; p < planes.Length; p++)
        {
            planes[p] = new byte[planeBytes];
            bool read = tiff.IsTiled() ? ReadTiles(tiff, planes[p], p, width, height, perPixel * bits / 8) : ReadStrips(tiff, planes[p], p, rowBytes, height);
            if (!read) throw new NucleiInputException(path, $"{where}: cannot decode its pixels{QuietTiffErrors.Last()}");
        }
        return (width, height, bits, format, samples, separate, planes);
    }

    static bool ReadStrips(Tiff tiff, byte[] plane, int sample, int rowBytes, int height)
    {
        var row = new byte[Math.Max(rowBytes, tiff.ScanlineSize())];
        for (int y = 0; y < height; y++)
        {
            if (!tiff.ReadScanline(row, y, (short)sample)) return false;
            Buffer.BlockCopy(row, 0, plane, y * rowBytes, rowBytes);
        }
        return true;
    }

    static bool ReadTiles(Tiff tiff, byte[] plane, int sample, int width, int height, int pixelBytes)
    {
        int tileWidth = Field(tiff, TiffTag.TILEWIDTH, 0), tileHeight = Field(tiff, TiffTag.TILELENGTH, 0);
        if (tileWidth <= 0 || tileHeight <= 0) return false;
        var tile = new byte[tiff.TileSize()];
        for (int ty = 0; ty < height; ty += tileHeight)
            for (int tx = 0; tx < width; tx += tileWidth)
            {
                if (tiff.ReadTile(tile, 0, tx, ty, 0, (short)sample) < 0) return false;
                int copy = Math.Min(tileWidth, width - tx) * pixelBytes;
                for (int r = 0; r < tileHeight && ty + r < height; r++)
                    Buffer.BlockCopy(tile, r * tileWidth * pixelBytes, plane, ((ty + r) * width + tx) * pixelBytes, copy);
            }
        return true;
    }

    static int Field(Tiff tiff, TiffTag tag, int fallback) => tiff.GetField(tag)?[0].ToInt() ?? fallback;

    /// <summary>
    /// LibTiff.NET prints warnings and errors on the console by default. Warnings (unknown tags of microscope
    /// writers) are dropped; an error is kept, per thread, to be named in the input error it causes.
    /// </summary>
    sealed class QuietTiffErrors : TiffErrorHandler
    {
        [ThreadStatic] static string? last;

        public static string Last()
        {
            string? message = last;
            last = null;
            return message is null ? "" : $" ({message})";
        }

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args) { }
        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) { }
        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) => last = string.Format(format, args);
        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) { }
    }
}
