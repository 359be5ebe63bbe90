using BitMiracle.LibTiff.Classic;

namespace Nuclei.Tests.Inputs;

/// <summary>Synthetic multi-page TIFFs for the tests, written with LibTiff.NET: 16-bit gray pages, an optional description.</summary>
internal static class TestTiffs
{
    /// <summary>Writes <paramref name="pages"/> (each height*width samples) as the pages of one TIFF; the description goes on the first page.</summary>
    public static string Write(string path, int height, int width, IReadOnlyList<ushort[]> pages, string? description = null, bool tiled = false)
    {
        using (var tiff = Tiff.Open(path, "w") ?? throw new IOException($"cannot create {path}"))
        {
            for (int p = 0; p < pages.Count; p++)
            {
                tiff.SetField(TiffTag.IMAGEWIDTH, width);
                tiff.SetField(TiffTag.IMAGELENGTH, height);
                tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
                tiff.SetField(TiffTag.BITSPERSAMPLE, 16);
                tiff.SetField(TiffTag.SAMPLEFORMAT, SampleFormat.UINT);
                tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
                tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
                tiff.SetField(TiffTag.COMPRESSION, Compression.LZW);
                if (p == 0 && description is not null) tiff.SetField(TiffTag.IMAGEDESCRIPTION, description);
                if (pages.Count > 1) tiff.SetField(TiffTag.SUBFILETYPE, FileType.PAGE);
                var bytes = new byte[pages[p].Length * 2];
                Buffer.BlockCopy(pages[p], 0, bytes, 0, bytes.Length);
                if (tiled) WriteTiles(tiff, bytes, height, width);
                else
                {
                    tiff.SetField(TiffTag.ROWSPERSTRIP, 7);
                    for (int y = 0; y < height; y++)
                        if (!tiff.WriteScanline(bytes.AsSpan(y * width * 2, width * 2).ToArray(), y)) throw new IOException($"row {y}");
                }
                tiff.WriteDirectory();
            }
        }
        return path;
    }

    static void WriteTiles(Tiff tiff, byte[] bytes, int height, int width)
    {
        const int side = 16;
        tiff.SetField(TiffTag.TILEWIDTH, side);
        tiff.SetField(TiffTag.TILELENGTH, side);
        var tile = new byte[side * side * 2];
        for (int ty = 0; ty < height; ty += side)
            for (int tx = 0; tx < width; tx += side)
            {
                Array.Clear(tile);
                for (int r = 0; r < side && ty + r < height; r++)
                    Buffer.BlockCopy(bytes, ((ty + r) * width + tx) * 2, tile, r * side * 2, Math.Min(side, width - tx) * 2);
                tiff.WriteTile(tile, tx, ty, 0, 0);
            }
    }

    /// <summary>Minimal OME-XML for one series of 16-bit planes (no TiffData: plane k is IFD k).</summary>
    public static string OmeXml(int height, int width, int sizeC, int sizeZ, string order = "XYZCT", IReadOnlyList<string>? names = null, string tiffData = "") =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
        "<OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\"><Image ID=\"Image:0\" Name=\"test\">" +
        $"<Pixels ID=\"Pixels:0\" DimensionOrder=\"{order}\" Type=\"uint16\" SizeX=\"{width}\" SizeY=\"{height}\" SizeC=\"{sizeC}\" SizeZ=\"{sizeZ}\" SizeT=\"1\">" +
        string.Concat(Enumerable.Range(0, sizeC).Select(c =>
            $"<Channel ID=\"Channel:0:{c}\" SamplesPerPixel=\"1\"{(names is null ? "" : $" Name=\"{names[c]}\"")}/>")) +
        tiffData + "</Pixels></Image></OME>";

    /// <summary>A plane of constant value.</summary>
    public static ushort[] Constant(int height, int width, ushort value) => Enumerable.Repeat(value, height * width).ToArray();
}
