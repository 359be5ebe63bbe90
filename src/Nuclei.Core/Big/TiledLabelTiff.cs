using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;
using Nuclei.Core.Export;

namespace Nuclei.Core.Big;

/// <summary>
/// A label image written as it is stitched, top to bottom, into a tiled BigTIFF (LibTiff.NET; tiles of
/// <see cref="TileSize"/>², 32-bit signed labels as <see cref="Export.LabelTiff"/> writes them above 65,535 nuclei,
/// deflate-compressed, with ImageJ's description and optional calibration). Only one row of tiles is held.
/// Rows must come in order; <see cref="Finish"/> writes the last, partial row of tiles and closes the file.
/// </summary>
internal sealed class TiledLabelTiff : IDisposable
{
    public const int TileSize = 256;

    readonly Tiff tiff;
    readonly int height, width;
    readonly int[] pending; // one row of tiles, row-major over the image width
    readonly byte[] tile = new byte[TileSize * TileSize * sizeof(int)];
    int pendingRows, tileRow, nextRow;
    public int MaxLabel { get; private set; }

    public TiledLabelTiff(string path, int height, int width, double? pixelSizeUm)
    {
        this.height = height; this.width = width;
        pending = new int[(long)TileSize * width];
        tiff = Tiff.Open(path, "w8") ?? throw new IOException($"{path}: LibTiff could not create the TIFF");
        tiff.SetField(TiffTag.IMAGEWIDTH, width);
        tiff.SetField(TiffTag.IMAGELENGTH, height);
        tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
        tiff.SetField(TiffTag.BITSPERSAMPLE, 32);
        tiff.SetField(TiffTag.SAMPLEFORMAT, SampleFormat.INT);
        tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
        tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
        tiff.SetField(TiffTag.COMPRESSION, Compression.ADOBE_DEFLATE);
        tiff.SetField(TiffTag.TILEWIDTH, TileSize);
        tiff.SetField(TiffTag.TILELENGTH, TileSize);
        LabelTiff.WriteImageJDescription(tiff, "ImageJ=1.53t\nmin=0\n", pixelSizeUm);
    }

    /// <summary>Rows <paramref name="firstRow"/>.. of labels (row-major, the image's width); rows come in order.</summary>
    public void WriteRows(int firstRow, int count, ReadOnlyMemory<int> labels)
    {
        if (firstRow != nextRow) throw new InvalidOperationException($"row {firstRow} written out of order (expected {nextRow})");
        var span = labels.Span;
        for (int r = 0; r < count; r++)
        {
            var row = span.Slice(r * width, width);
            foreach (int v in row) if (v > MaxLabel) MaxLabel = v;
            row.CopyTo(pending.AsSpan(pendingRows * width, width));
            if (++pendingRows == TileSize) WriteTileRow();
        }
        nextRow += count;
    }

    /// <summary>Writes what is left and closes the file; every row must have been written.</summary>
    public void Finish()
    {
        if (nextRow != height) throw new InvalidOperationException($"{nextRow} of {height} rows written");
        if (pendingRows > 0) WriteTileRow();
        tiff.Flush();
        tiff.Close();
    }

    void WriteTileRow()
    {
        for (int x0 = 0; x0 < width; x0 += TileSize)
        {
            Array.Clear(tile);
            var values = MemoryMarshal.Cast<byte, int>(tile.AsSpan());
            int w = Math.Min(TileSize, width - x0);
            for (int y = 0; y < pendingRows; y++)
                pending.AsSpan(y * width + x0, w).CopyTo(values.Slice(y * TileSize, w));
            if (tiff.WriteTile(tile, x0, tileRow * TileSize, 0, 0) < 0)
                throw new IOException($"LibTiff could not write the tile at ({x0},{tileRow * TileSize})");
        }
        tileRow++;
        pendingRows = 0;
        Array.Clear(pending);
    }

    public void Dispose() => tiff.Dispose();
}
