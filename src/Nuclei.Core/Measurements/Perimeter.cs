namespace Nuclei.Core.Measurements;

/// <summary>
/// The perimeter of a binary object as scikit-image's <c>skimage.measure.perimeter(image, neighbourhood=4)</c>
/// (used by <c>regionprops</c> and CellProfiler's MeasureObjectSizeShape): the border pixels (object minus its
/// erosion by a 4-connected cross, outside = background) are classified by their border neighbours with the
/// kernel [[10,2,10],[2,1,2],[10,2,10]], and each configuration contributes 1 (straight), √2 (diagonal) or
/// (1+√2)/2 (corner), after Benkrid and Crookes, "Design and FPGA implementation of a perimeter estimator" (2000).
/// </summary>
internal static class Perimeter
{
    static readonly double[] Weights = BuildWeights();

    static double[] BuildWeights()
    {
        var w = new double[50];
        foreach (int i in new[] { 5, 7, 15, 17, 25, 27 }) w[i] = 1;
        foreach (int i in new[] { 21, 33 }) w[i] = Math.Sqrt(2);
        foreach (int i in new[] { 13, 23 }) w[i] = (1 + Math.Sqrt(2)) / 2;
        return w;
    }

    /// <param name="mask">0/1 mask, row-major, with at least one pixel of background padding on every side</param>
    public static double Of(byte[] mask, int height, int width)
    {
        var border = new byte[mask.Length];
        for (int y = 1; y < height - 1; y++)
        for (int x = 1; x < width - 1; x++)
        {
            int i = y * width + x;
            if (mask[i] == 0) continue;
            bool interior = mask[i - 1] != 0 && mask[i + 1] != 0 && mask[i - width] != 0 && mask[i + width] != 0;
            if (!interior) border[i] = 1;
        }

        double total = 0;
        for (int y = 1; y < height - 1; y++)
        for (int x = 1; x < width - 1; x++)
        {
            int i = y * width + x;
            if (border[i] == 0) continue; // only odd codes (border pixels) carry weight
            int code = 1
                + 2 * (border[i - 1] + border[i + 1] + border[i - width] + border[i + width])
                + 10 * (border[i - width - 1] + border[i - width + 1] + border[i + width - 1] + border[i + width + 1]);
            total += Weights[code];
        }
        return total;
    }
}
