using BitMiracle.LibTiff.Classic;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;

namespace Nuclei.Core.Export;

/// <summary>
/// A label map as a TIFF that Fiji/ImageJ and napari open as labels: 16-bit unsigned, or 32-bit signed above
/// 65,535 nuclei (what OpenCV and ImageJ both read; ImageJ shows it as 32-bit); LZW-compressed. With a pixel size it carries the calibration the way ImageJ's TiffEncoder
/// writes it: X/YResolution in pixels per unit and an ImageDescription beginning "ImageJ=" with <c>unit=micron</c>
/// (ImageJ's TiffDecoder reads the unit from there); min/max in the description set ImageJ's display range to the labels.
/// Written with LibTiff.NET.
/// </summary>
internal static class LabelTiff
{
    public const string Extension = ".labels.tif";

    /// <summary>Writes the TIFF atomically.</summary>
    public static void Write(string path, LabelImage labels, double? pixelSizeUm) =>
        AtomicFile.WriteAllBytes(path, Encode(labels, pixelSizeUm));

    /// <summary>The TIFF file's bytes, encoded in memory.</summary>
    public static byte[] Encode(LabelImage labels, double? pixelSizeUm)
    {
        int max = labels.MaxLabel();
        bool wide = max > ushort.MaxValue;
        var memory = new MemoryStream();
        {
            using var tiff = Tiff.ClientOpen("label map", "w", memory, new TiffStream()) ?? throw new IOException("LibTiff could not create a TIFF");
            WriteImageJDescription(tiff, $"ImageJ=1.53t\nmin=0\nmax={max}\n", pixelSizeUm);
            WritePage(tiff, labels, wide);
        }
        return memory.ToArray();
    }

    /// <summary>
    /// One page of labels: 16-bit unsigned, or with <paramref name="wide"/> 32-bit signed; LZW in strips of about 64 KiB.
    /// The page's other tags (description, resolution) are set before.
    /// </summary>
    internal static void WritePage(Tiff tiff, LabelImage labels, bool wide)
    {
        tiff.SetField(TiffTag.IMAGEWIDTH, labels.Width);
        tiff.SetField(TiffTag.IMAGELENGTH, labels.Height);
        tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
        tiff.SetField(TiffTag.BITSPERSAMPLE, wide ? 32 : 16);
        tiff.SetField(TiffTag.SAMPLEFORMAT, wide ? SampleFormat.INT : SampleFormat.UINT);
        tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
        tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
        tiff.SetField(TiffTag.COMPRESSION, Compression.LZW);
        tiff.SetField(TiffTag.ROWSPERSTRIP, Math.Max(1, 65536 / (labels.Width * (wide ? 4 : 2))));
        var row = new byte[labels.Width * (wide ? 4 : 2)];
        for (int y = 0; y < labels.Height; y++)
        {
            var values = labels.Data.AsSpan(y * labels.Width, labels.Width);
            if (wide) System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(row);
            else for (int x = 0; x < values.Length; x++) BitConverter.TryWriteBytes(row.AsSpan(2 * x), (ushort)values[x]);
            if (!tiff.WriteScanline(row, y)) throw new IOException($"LibTiff could not write row {y}");
        }
    }

    /// <summary>
    /// ImageJ's description (so Fiji opens the labels with their range) and, with a pixel size, its calibration in µm:
    /// ImageJ reads "unit=micron" from the description and the pixel size from the resolution tags.
    /// </summary>
    internal static void WriteImageJDescription(Tiff tiff, string description, double? pixelSizeUm)
    {
        if (pixelSizeUm is double s)
        {
            description += "unit=micron\n";
            tiff.SetField(TiffTag.XRESOLUTION, 1 / s);
            tiff.SetField(TiffTag.YRESOLUTION, 1 / s);
            tiff.SetField(TiffTag.RESOLUTIONUNIT, ResUnit.NONE);
        }
        tiff.SetField(TiffTag.IMAGEDESCRIPTION, description);
    }
}
