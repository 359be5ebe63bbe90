using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Core.Data.Mosaics;

/// <summary>Assembles four images of one size (and their label maps) into one 2×2 image, as stored (bit depth, channels).</summary>
internal static class MosaicBuilder
{
    /// <summary>The 2×2 label map: the nuclei of tile k renumbered after those of tiles 0..k-1.</summary>
    public static LabelImage Labels(IReadOnlyList<LabelImage> tiles)
    {
        CheckFour(tiles.Count);
        int h = tiles[0].Height, w = tiles[0].Width;
        if (tiles.Any(t => t.Height != h || t.Width != w)) throw new ArgumentException("mosaic tiles must all have one size");
        var result = new LabelImage(2 * h, 2 * w);
        int offset = 0;
        for (int k = 0; k < 4; k++)
        {
            int top = k / 2 * h, left = k % 2 * w;
            var d = tiles[k].Data;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    if (d[y * w + x] > 0) result.Data[(top + y) * 2 * w + left + x] = d[y * w + x] + offset;
            offset += tiles[k].MaxLabel();
        }
        return result;
    }

    /// <summary>The 2×2 image of four image files (which must share size, bit depth and channel count). The caller disposes it.</summary>
    public static Mat Image(IReadOnlyList<string> paths)
    {
        CheckFour(paths.Count);
        var mats = paths.Select(ImageIO.Decode).ToArray();
        try
        {
            for (int k = 1; k < 4; k++)
                if (mats[k].Type() != mats[0].Type() || mats[k].Size() != mats[0].Size())
                    throw new NucleiInputException(paths[k], $"is {mats[k].Rows}x{mats[k].Cols} {mats[k].Type()}, but {paths[0]} is {mats[0].Rows}x{mats[0].Cols} {mats[0].Type()}; a mosaic needs images alike");
            using var top = new Mat();
            using var bottom = new Mat();
            Cv2.HConcat(new[] { mats[0], mats[1] }, top);
            Cv2.HConcat(new[] { mats[2], mats[3] }, bottom);
            var all = new Mat();
            Cv2.VConcat(new[] { top, bottom }, all);
            return all;
        }
        finally { foreach (var m in mats) m.Dispose(); }
    }

    static void CheckFour(int count)
    {
        if (count != 4) throw new ArgumentException($"a 2×2 mosaic needs 4 tiles, got {count}");
    }
}
