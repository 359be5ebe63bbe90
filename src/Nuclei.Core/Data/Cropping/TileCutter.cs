using Nuclei.Core.Data.Checking;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using OpenCvSharp;

namespace Nuclei.Core.Data.Cropping;

/// <summary>Cuts the image file and the label map of a sample into one tile.</summary>
internal static class TileCutter
{
    /// <summary>
    /// The tile's labels: every piece of a nucleus left inside the tile (a cut can split one into several) is its own
    /// nucleus; pieces under <paramref name="minSize"/> pixels are dropped; labels renumbered 1..N.
    /// </summary>
    public static LabelImage Labels(LabelImage labels, Tile tile, int minSize)
    {
        var cut = new int[tile.Height * tile.Width];
        for (int y = 0; y < tile.Height; y++)
            Array.Copy(labels.Data, (tile.Top + y) * labels.Width + tile.Left, cut, y * tile.Width, tile.Width);
        var pieces = LabelRepair.SplitPieces(tile.Height, tile.Width, cut);
        SmallObjects.RemoveFromLabels(pieces, minSize);
        RelabelSequential.Apply(pieces);
        return new LabelImage(tile.Height, tile.Width, pieces);
    }

    /// <summary>
    /// Writes the tile of an image file as it is stored (bit depth and channels kept, alpha included) to
    /// <paramref name="path"/>; PNG holds 8- and 16-bit images, so use .tif for float images (see <see cref="ExtensionFor"/>).
    /// </summary>
    public static void WriteImage(Mat image, Tile tile, string path)
    {
        using var roi = new Mat(image, new Rect(tile.Left, tile.Top, tile.Width, tile.Height));
        if (!Cv2.ImWrite(path, roi)) throw new IOException($"{path}: OpenCV could not write the tile");
    }

    /// <summary>.png for 8- and 16-bit images, .tif for the rest (float).</summary>
    public static string ExtensionFor(Mat image) => image.Depth() is MatType.CV_8U or MatType.CV_16U ? ".png" : ".tif";
}
