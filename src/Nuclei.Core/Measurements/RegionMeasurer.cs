using Nuclei.Core.Imaging;

namespace Nuclei.Core.Measurements;

/// <summary>Measures every nucleus of a label map (see <see cref="NucleusMeasurement"/> for the definitions).</summary>
internal static class RegionMeasurer
{
    /// <param name="labels">the nuclei</param>
    /// <param name="image">the image they were found in, for the intensity measurements (none when null)</param>
    public static IReadOnlyList<NucleusMeasurement> Measure(LabelImage labels, FloatImage? image)
    {
        if (image is not null && (image.Height != labels.Height || image.Width != labels.Width))
            throw new ArgumentException($"image is {image.Height}x{image.Width} but labels are {labels.Height}x{labels.Width}");
        return LabelRegions.Of(labels).Select(r => Measure(r, labels.Height, labels.Width, image)).ToList();
    }

    public static NucleusMeasurement Measure(LabelRegion region, int imageHeight, int imageWidth, FloatImage? image)
    {
        int n = region.Pixels.Length;
        var (cy, cx, muYY, muXX, muXY) = Moments(region.Pixels, imageWidth);
        var (l1, l2) = InertiaEigenvalues(muYY / n, muXX / n, muXY / n);
        byte[] mask = region.Mask(imageWidth, 1, out int mh, out int mw);
        double perimeter = Measurements.Perimeter.Of(mask, mh, mw);
        int convex = ConvexArea.Of(mask, mh, mw);
        bool border = region.MinY == 0 || region.MinX == 0 || region.MaxY == imageHeight - 1 || region.MaxX == imageWidth - 1;
        return new NucleusMeasurement(
            region.Label, n, perimeter, cx, cy,
            region.MinX, region.MinY, region.BoxWidth, region.BoxHeight,
            Math.Sqrt(4.0 * n / Math.PI), 4 * Math.Sqrt(l1), 4 * Math.Sqrt(l2), Orientation(muYY, muXX, muXY),
            l1 == 0 ? 0 : Math.Sqrt(1 - l2 / l1),
            (double)n / convex, (double)n / (region.BoxWidth * region.BoxHeight),
            perimeter == 0 ? 0 : 4 * Math.PI * n / (perimeter * perimeter),
            border,
            image is null ? Array.Empty<IntensityMeasurement>() : Intensities(region.Pixels, image));
    }

    /// <summary>Centroid and central second moments (sums, not yet divided by the area).</summary>
    static (double Cy, double Cx, double MuYY, double MuXX, double MuXY) Moments(int[] pixels, int width)
    {
        double sy = 0, sx = 0;
        foreach (int p in pixels) { sy += p / width; sx += p % width; }
        double cy = sy / pixels.Length, cx = sx / pixels.Length;
        double yy = 0, xx = 0, xy = 0;
        foreach (int p in pixels)
        {
            double dy = p / width - cy, dx = p % width - cx;
            yy += dy * dy; xx += dx * dx; xy += dx * dy;
        }
        return (cy, cx, yy, xx, xy);
    }

    /// <summary>
    /// Eigenvalues (largest first, clipped at 0) of regionprops' inertia tensor [[σxx, −σxy], [−σxy, σyy]]
    /// (row/column order as scikit-image: the tensor's (0,0) entry is the column variance).
    /// </summary>
    static (double L1, double L2) InertiaEigenvalues(double varY, double varX, double covXY)
    {
        double mean = (varX + varY) / 2, radius = Math.Sqrt((varX - varY) * (varX - varY) / 4 + covXY * covXY);
        return (Math.Max(0, mean + radius), Math.Max(0, mean - radius));
    }

    /// <summary>
    /// regionprops' orientation, ½·atan2(−2b, c − a) for the inertia tensor [[a, b], [b, c]]. When a = c exactly,
    /// scikit-image 0.19 returns π/4 with the sign of −b, the opposite of its own formula's value there (and of
    /// every nearby shape); we keep the formula, so the diagonal (1,1) is always +π/4.
    /// </summary>
    static double Orientation(double muYY, double muXX, double muXY) => 0.5 * Math.Atan2(2 * muXY, muYY - muXX);

    static IntensityMeasurement[] Intensities(int[] pixels, FloatImage image)
    {
        var result = new IntensityMeasurement[image.Channels];
        var values = new double[pixels.Length];
        for (int c = 0; c < image.Channels; c++)
        {
            for (int k = 0; k < pixels.Length; k++) values[k] = image.Data[pixels[k] * image.Channels + c];
            double sum = 0;
            foreach (double v in values) sum += v;
            double mean = sum / values.Length, squares = 0;
            foreach (double v in values) squares += (v - mean) * (v - mean);
            Array.Sort(values);
            int mid = values.Length / 2;
            double median = values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
            result[c] = new IntensityMeasurement(mean, median, values[0], values[^1], Math.Sqrt(squares / values.Length), sum);
        }
        return result;
    }
}
