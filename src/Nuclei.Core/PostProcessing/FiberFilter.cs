namespace Nuclei.Core.PostProcessing;

/// <summary>
/// samuelschen/DSB2018's filter_fiber: a fibre (a long strand of debris) segmented as one giant elongated object is dropped.
/// The largest object goes when it is more than <see cref="AreaRatio"/> times the second largest and its
/// eccentricity (of the ellipse with the same second moments, as skimage's regionprops) exceeds <see cref="MinEccentricity"/>.
/// </summary>
internal static class FiberFilter
{
    public const double AreaRatio = 5;
    public const double MinEccentricity = 0.95;

    /// <summary>Removes the fibre in place, if there is one; returns its label or 0.</summary>
    public static int Apply(int height, int width, Span<int> labels)
    {
        int maxLabel = ConnectedComponents.MaxLabel(labels);
        if (maxLabel < 2) return 0;
        var area = new long[maxLabel + 1];
        var sy = new double[maxLabel + 1]; var sx = new double[maxLabel + 1];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int l = labels[y * width + x];
                if (l <= 0) continue;
                area[l]++; sy[l] += y; sx[l] += x;
            }
        int first = 0, second = 0;
        for (int l = 1; l <= maxLabel; l++)
        {
            if (area[l] > area[first]) { second = first; first = l; }
            else if (area[l] > area[second]) second = l;
        }
        if (first == 0 || second == 0 || area[first] <= AreaRatio * area[second]) return 0;
        if (Eccentricity(height, width, labels, first, area[first], sy[first] / area[first], sx[first] / area[first]) <= MinEccentricity) return 0;
        for (int i = 0; i < labels.Length; i++) if (labels[i] == first) labels[i] = 0;
        return first;
    }

    /// <summary>sqrt(1 − λ2/λ1) of the object's covariance (inertia) matrix.</summary>
    public static double Eccentricity(int height, int width, ReadOnlySpan<int> labels, int label, long area, double cy, double cx)
    {
        double myy = 0, mxx = 0, mxy = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (labels[y * width + x] != label) continue;
                double dy = y - cy, dx = x - cx;
                myy += dy * dy; mxx += dx * dx; mxy += dy * dx;
            }
        myy /= area; mxx /= area; mxy /= area;
        double mean = 0.5 * (myy + mxx), diff = Math.Sqrt(0.25 * (myy - mxx) * (myy - mxx) + mxy * mxy);
        double l1 = mean + diff, l2 = mean - diff;
        return l1 <= 0 ? 0 : Math.Sqrt(Math.Max(0, 1 - l2 / l1));
    }
}
