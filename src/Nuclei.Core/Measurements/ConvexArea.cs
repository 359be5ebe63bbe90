using OpenCvSharp;

namespace Nuclei.Core.Measurements;

/// <summary>
/// The pixel area of an object's convex hull as scikit-image's <c>convex_hull_image</c> defines it (and so
/// <c>regionprops</c>' <c>area_convex</c> and solidity): the hull of the midpoints of the edges of the object's
/// pixels, then every pixel whose centre lies inside the hull or on it. The hull itself is OpenCV's.
/// </summary>
internal static class ConvexArea
{
    /// <param name="mask">0/1 mask, row-major</param>
    public static int Of(byte[] mask, int height, int width)
    {
        var points = new List<Point2f>();
        for (int y = 0; y < height; y++)
        {
            // only the first and last pixel of a row can be hull candidates (with their edge midpoints)
            int first = -1, last = -1;
            for (int x = 0; x < width; x++)
                if (mask[y * width + x] != 0) { if (first < 0) first = x; last = x; }
            if (first < 0) continue;
            foreach (int x in first == last ? new[] { first } : new[] { first, last })
            {
                points.Add(new Point2f(x - 0.5f, y)); points.Add(new Point2f(x + 0.5f, y));
                points.Add(new Point2f(x, y - 0.5f)); points.Add(new Point2f(x, y + 0.5f));
            }
        }
        if (points.Count == 0) return 0;
        Point2f[] hull = Cv2.ConvexHull(points);

        int inside = 0;
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            if (Cv2.PointPolygonTest(hull, new Point2f(x, y), false) >= 0) inside++;
        return inside;
    }
}
