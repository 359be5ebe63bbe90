using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data.Checking;

/// <summary>
/// One mask file of the DSB layout as its foreground: the row-major indices of its non-zero pixels and the
/// distinct non-zero values it holds (one for a proper binary mask).
/// </summary>
internal sealed record MaskPixels(string Path, int Height, int Width, int[] Indices, int[] Values)
{
    public bool IsEmpty => Indices.Length == 0;
    public bool IsBinary => Values.Length <= 1;

    /// <summary>
    /// Reads a mask file. Masks are mostly background, so 8-bit gray masks (the DSB format) go through OpenCV's
    /// vectorised FindNonZero instead of a full conversion to int labels; every other format through <see cref="ImageIO.ReadLabels"/>.
    /// </summary>
    public static unsafe MaskPixels Read(string path)
    {
        using var mat = ImageIO.Decode(path); // through the size and completeness checks of every reader
        if (mat.Type() != OpenCvSharp.MatType.CV_8UC1 || !mat.IsContinuous())
            return FromLabels(path, ImageIO.ReadLabels(path)); // every other case, with its errors
        using var points = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.FindNonZero(mat, points);
        int n = points.Empty() ? 0 : points.Rows, width = mat.Cols;
        var indices = new int[n];
        var present = new bool[256]; // a table, not a set: this runs for every foreground pixel of every mask loaded
        if (n > 0)
        {
            var xy = new ReadOnlySpan<int>((void*)points.Data, 2 * n); // CV_32SC2: x, y
            var pixels = new ReadOnlySpan<byte>((void*)mat.Data, mat.Rows * width);
            for (int k = 0; k < n; k++)
            {
                int i = xy[2 * k + 1] * width + xy[2 * k];
                indices[k] = i;
                present[pixels[i]] = true;
            }
        }
        int[] values = Enumerable.Range(1, 255).Where(v => present[v]).ToArray();
        return new MaskPixels(path, mat.Rows, width, indices, values);
    }

    static MaskPixels FromLabels(string path, LabelImage labels)
    {
        var indices = new List<int>();
        var values = new SortedSet<int>();
        var d = labels.Data;
        for (int i = 0; i < d.Length; i++)
        {
            if (d[i] == 0) continue;
            indices.Add(i);
            values.Add(d[i]);
        }
        return new MaskPixels(path, labels.Height, labels.Width, indices.ToArray(), values.ToArray());
    }
}
