using OpenCvSharp;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// The maps a perfect three-head network would output for a truth label map (oracle inputs for tests and benches):
/// body = union of the nuclei; contour = the nuclei's own outer pixel ring (so it lies between touching nuclei and
/// around lone ones); marker = each nucleus shrunk by <c>shrink</c> pixels (erosion by a disc).
/// </summary>
internal static class TruthMaps
{
    public static float[] Body(ReadOnlySpan<int> labels)
    {
        var body = new float[labels.Length];
        for (int i = 0; i < body.Length; i++) body[i] = labels[i] > 0 ? 1f : 0f;
        return body;
    }

    /// <summary>Pixels of a nucleus with an 8-neighbour of another label or background (the image edge does not count).</summary>
    public static float[] Contour(int height, int width, ReadOnlySpan<int> labels)
    {
        var contour = new float[labels.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int l = labels[y * width + x];
                if (l == 0) continue;
                bool edge = false;
                for (int dy = -1; dy <= 1 && !edge; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int ny = y + dy, nx = x + dx;
                        if (ny < 0 || ny >= height || nx < 0 || nx >= width) continue;
                        if (labels[ny * width + nx] != l) { edge = true; break; }
                    }
                if (edge) contour[y * width + x] = 1f;
            }
        return contour;
    }

    /// <summary>Each nucleus eroded by a disc of radius <paramref name="shrink"/>: a pixel stays when every pixel within that disc has its label.</summary>
    public static float[] Marker(int height, int width, ReadOnlySpan<int> labels, int shrink = 2)
    {
        var asFloat = new float[labels.Length];
        for (int i = 0; i < asFloat.Length; i++) asFloat[i] = labels[i];
        var min = new float[labels.Length];
        var max = new float[labels.Length];
        using (var src = CvArrays.Wrap(asFloat, height, width))
        using (var lo = CvArrays.Wrap(min, height, width))
        using (var hi = CvArrays.Wrap(max, height, width))
        using (var disc = Cv2.GetStructuringElement(MorphShapes.Ellipse, new OpenCvSharp.Size(2 * shrink + 1, 2 * shrink + 1)))
        {
            Cv2.Erode(src, lo, disc, null, 1, BorderTypes.Replicate);
            Cv2.Dilate(src, hi, disc, null, 1, BorderTypes.Replicate);
        }
        var marker = new float[labels.Length];
        for (int i = 0; i < marker.Length; i++)
            if (labels[i] > 0 && min[i] == labels[i] && max[i] == labels[i]) marker[i] = 1f;
        return marker;
    }
}
