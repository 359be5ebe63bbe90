using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// Elastic distortion: a smooth random displacement field applied to image and labels alike.
/// As in the U-Net paper (Ronneberger et al. 2015, §3.1), random displacement vectors on a coarse grid are
/// interpolated bicubically to a per-pixel field (cheaper than blurring a per-pixel noise field as in
/// Simard et al. 2003, with the same effect); the image is resampled bilinearly, labels by nearest neighbour.
/// </summary>
internal static class ElasticDistortion
{
    /// <param name="alpha">standard deviation of the displacement at the grid points, in pixels</param>
    /// <param name="gridSpacing">distance between grid points in pixels (larger = smoother)</param>
    public static unsafe (FloatImage, LabelImage) Apply(FloatImage img, LabelImage labels, double alpha, double gridSpacing, Random rng)
    {
        Geometry.CheckSameSize(img, labels);
        int h = img.Height, w = img.Width;
        int gh = Math.Max(2, (int)Math.Ceiling(h / gridSpacing) + 1), gw = Math.Max(2, (int)Math.Ceiling(w / gridSpacing) + 1);
        var gx = new float[gh * gw];
        var gy = new float[gh * gw];
        for (int i = 0; i < gx.Length; i++) { gx[i] = (float)(Gaussian(rng) * alpha); gy[i] = (float)(Gaussian(rng) * alpha); }

        var mapX = new float[h * w];
        var mapY = new float[h * w];
        var dstImg = new FloatImage(h, w, img.Channels);
        float[] srcLab = MatView.LabelsToFloat(labels.Data), dstLab = new float[h * w];
        fixed (float* pgx = gx, pgy = gy, pmx = mapX, pmy = mapY, ps = img.Data, pd = dstImg.Data, pls = srcLab, pld = dstLab)
        {
            using (var cgx = MatView.Over(pgx, gh, gw, 1))
            using (var cgy = MatView.Over(pgy, gh, gw, 1))
            using (var mx = MatView.Over(pmx, h, w, 1))
            using (var my = MatView.Over(pmy, h, w, 1))
            {
                Cv2.Resize(cgx, mx, new Size(w, h), 0, 0, InterpolationFlags.Cubic);
                Cv2.Resize(cgy, my, new Size(w, h), 0, 0, InterpolationFlags.Cubic);
            }
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) { mapX[y * w + x] += x; mapY[y * w + x] += y; }
            using var mx2 = MatView.Over(pmx, h, w, 1);
            using var my2 = MatView.Over(pmy, h, w, 1);
            using var src = MatView.Over(ps, h, w, img.Channels);
            using var dst = MatView.Over(pd, h, w, img.Channels);
            Cv2.Remap(src, dst, mx2, my2, InterpolationFlags.Linear, BorderTypes.Reflect101);
            using var ls = MatView.Over(pls, h, w, 1);
            using var ld = MatView.Over(pld, h, w, 1);
            Cv2.Remap(ls, ld, mx2, my2, InterpolationFlags.Nearest, BorderTypes.Reflect101);
        }
        return (dstImg, new LabelImage(h, w, MatView.FloatToLabels(dstLab)));
    }

    /// <summary>Standard normal sample (Box–Muller).</summary>
    internal static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
