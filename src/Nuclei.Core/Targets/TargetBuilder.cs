using System.Runtime.InteropServices;
using Nuclei.Core.Imaging;
using OpenCvSharp;

namespace Nuclei.Core.Targets;

/// <summary>
/// Training targets from an instance label map (0 = background, 1..N = nuclei): semantic mask, contours, the
/// boundary where nuclei touch, markers and weight maps. Morphology and distances use OpenCV, so a 256×256 crop
/// takes milliseconds (training builds these per crop on background threads). Thread-safe (no shared state).
/// Neighbourhoods ignore the image border: a nucleus cut by the border gets no contour along it.
/// </summary>
internal static class TargetBuilder
{
    /// <summary>Computes the maps selected in <see cref="TargetOptions.Maps"/>.</summary>
    public static TrainingTargets Build(LabelImage labels, TargetOptions? options = null)
    {
        options ??= new TargetOptions();
        var maps = options.Maps;
        float[]? contour1 = null, contour = null;
        bool need(TargetMaps m) => (maps & m) != 0;
        if (need(TargetMaps.Contour) || need(TargetMaps.EmphasisWeight))
            contour = Contour(labels, options.ContourThickness);
        if (need(TargetMaps.Semantic) && options.SoftEdgeValue != 1f)
            contour1 = options.ContourThickness == 1 && contour is not null ? contour : Contour(labels, 1);
        return new TrainingTargets
        {
            Height = labels.Height,
            Width = labels.Width,
            Semantic = need(TargetMaps.Semantic) ? Semantic(labels, contour1, options.SoftEdgeValue) : null,
            Contour = need(TargetMaps.Contour) ? contour : null,
            AdjacentBoundary = need(TargetMaps.AdjacentBoundary) ? AdjacentBoundary(labels, options.AdjacentRadius) : null,
            Marker = need(TargetMaps.Marker) ? Markers(labels, options.MarkerDepthFraction) : null,
            UNetWeight = need(TargetMaps.UNetWeight) ? UNetWeightMap(labels, options.UNetW0, options.UNetSigma, options.UNetClassBalance) : null,
            EmphasisWeight = need(TargetMaps.EmphasisWeight)
                ? EmphasisWeightMap(labels, contour!, options.ContourEmphasis, options.CentroidEmphasis, options.CentroidRadius)
                : null,
        };
    }

    /// <summary>1 inside nuclei, <paramref name="softEdgeValue"/> on <paramref name="edge"/> pixels (when given), 0 outside.</summary>
    public static float[] Semantic(LabelImage labels, float[]? edge = null, float softEdgeValue = 1f)
    {
        var result = new float[labels.PixelCount];
        var data = labels.Data;
        for (int i = 0; i < result.Length; i++)
            if (data[i] > 0) result[i] = edge is not null && edge[i] > 0 ? softEdgeValue : 1f;
        return result;
    }

    /// <summary>
    /// 1 on pixels of a nucleus that have a pixel of another label (background or another nucleus) within
    /// <paramref name="thickness"/> px: the inner contour. Uses min/max filters of the label map (labels differ
    /// inside the window exactly when the window's minimum or maximum differs from the centre).
    /// </summary>
    public static float[] Contour(LabelImage labels, int thickness = 1)
    {
        if (thickness < 1) throw new ArgumentOutOfRangeException(nameof(thickness), "contour thickness must be ≥ 1");
        using var l = ToMat(labels, backgroundValue: 0);
        using var kernel = Kernel(thickness);
        using var max = new Mat();
        using var min = new Mat();
        Cv2.Dilate(l, max, kernel);
        Cv2.Erode(l, min, kernel);
        var lv = Read(l); var maxv = Read(max); var minv = Read(min);
        var result = new float[lv.Length];
        for (int i = 0; i < lv.Length; i++)
            if (lv[i] > 0 && (maxv[i] != lv[i] || minv[i] != lv[i])) result[i] = 1f;
        return result;
    }

    /// <summary>
    /// 1 on pixels (inside nuclei or in the gap between them) that have two different nuclei within
    /// <paramref name="radius"/> px: the boundary only where nuclei touch (samuelschen/DSB2018's "adjacent boundary"; the
    /// 1st-place DSB2018 solution's "separation" channel). A window holds two different nuclei exactly when its largest
    /// label differs from its smallest non-zero label.
    /// </summary>
    public static float[] AdjacentBoundary(LabelImage labels, int radius = 2)
    {
        if (radius < 1) throw new ArgumentOutOfRangeException(nameof(radius), "adjacent radius must be ≥ 1");
        const float none = 1e9f;
        using var lMax = ToMat(labels, backgroundValue: 0);
        using var lMin = ToMat(labels, backgroundValue: none);
        using var kernel = Disc(radius);
        using var max = new Mat();
        using var min = new Mat();
        Cv2.Dilate(lMax, max, kernel);
        Cv2.Erode(lMin, min, kernel);
        var maxv = Read(max); var minv = Read(min);
        var result = new float[maxv.Length];
        for (int i = 0; i < result.Length; i++)
            if (maxv[i] > 0 && minv[i] < none && maxv[i] != minv[i]) result[i] = 1f;
        return result;
    }

    /// <summary>
    /// Depth of every nucleus pixel: Euclidean distance to the nearest pixel that is outside its nucleus or on its
    /// 1-px contour (so touching nuclei get separate depth profiles); 0 outside nuclei.
    /// </summary>
    public static float[] Depth(LabelImage labels)
    {
        var contour = Contour(labels, 1);
        var interior = new byte[labels.PixelCount];
        for (int i = 0; i < interior.Length; i++)
            if (labels.Data[i] > 0 && contour[i] == 0) interior[i] = 255;
        using var src = Mat.FromPixelData(labels.Height, labels.Width, MatType.CV_8UC1, interior);
        using var dist = new Mat();
        Cv2.DistanceTransform(src, dist, DistanceTypes.L2, DistanceTransformMasks.Precise);
        return Read(dist);
    }

    /// <summary>
    /// Markers: pixels whose depth (see <see cref="Depth"/>) exceeds <paramref name="depthFraction"/> of their
    /// nucleus's largest depth, plus the deepest pixels themselves, so every nucleus keeps a centre and touching
    /// nuclei get disjoint, separated markers.
    /// </summary>
    public static float[] Markers(LabelImage labels, double depthFraction = 0.5)
    {
        var depth = Depth(labels);
        var data = labels.Data;
        var maxDepth = new float[labels.MaxLabel() + 1];
        for (int i = 0; i < data.Length; i++)
            if (data[i] > 0 && depth[i] > maxDepth[data[i]]) maxDepth[data[i]] = depth[i];
        var result = new float[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            int k = data[i];
            if (k > 0 && (depth[i] > depthFraction * maxDepth[k] || depth[i] == maxDepth[k])) result[i] = 1f;
        }
        return result;
    }

    /// <summary>
    /// The U-Net weight map (Ronneberger, Fischer, Brox 2015, "U-Net: Convolutional networks for biomedical image
    /// segmentation", eq. 2): w(x) = w_c(x) + w0·exp(−(d1(x) + d2(x))² / 2σ²), d1 and d2 the distances to the nearest
    /// and second-nearest nucleus (0 inside a nucleus for its own), w_c the class-balancing weight (inverse class
    /// frequency scaled to mean 1; 1 when disabled). Distances are computed per nucleus within its bounding box
    /// grown by the radius beyond which the term is below 1e-3 of w0, so the cost grows with the nucleus count, not its square.
    /// </summary>
    public static float[] UNetWeightMap(LabelImage labels, double w0 = 10, double sigma = 5, bool classBalance = true)
    {
        var data = labels.Data;
        var (d1, d2) = NearestTwoDistances(labels, sigma);
        var (wFg, wBg) = ClassWeights(data, classBalance);
        var result = new float[labels.PixelCount];
        double twoSigma2 = 2 * sigma * sigma;
        for (int i = 0; i < result.Length; i++)
        {
            double s = d1[i] + d2[i];
            double term = float.IsPositiveInfinity(d2[i]) ? 0 : w0 * Math.Exp(-s * s / twoSigma2);
            result[i] = (data[i] > 0 ? wFg : wBg) + (float)term;
        }
        return result;
    }

    /// <summary>
    /// d1 and d2 of the U-Net weight map for every pixel: distances to the nearest and second-nearest nucleus, each
    /// nucleus's measured only within its bounding box grown by the cutoff (infinity where fewer than two reach).
    /// </summary>
    private static (float[] D1, float[] D2) NearestTwoDistances(LabelImage labels, double sigma)
    {
        // Beyond d1 + d2 > cutoff the term is < w0 · 1e-3·... negligible; distances are capped there.
        float cutoff = (float)(sigma * Math.Sqrt(2 * Math.Log(1e4)));
        int margin = (int)Math.Ceiling(cutoff);
        var d1 = new float[labels.PixelCount]; var d2 = new float[labels.PixelCount];
        Array.Fill(d1, float.PositiveInfinity); Array.Fill(d2, float.PositiveInfinity);
        var boxes = BoundingBoxes(labels);
        for (int k = 1; k < boxes.Length; k++)
        {
            if (boxes[k].Width <= 0) continue;
            var roi = Grown(boxes[k], margin, labels.Height, labels.Width);
            KeepNearestTwo(DistanceTo(labels, k, roi), roi, labels.Width, d1, d2);
        }
        return (d1, d2);
    }

    /// <summary><paramref name="box"/> grown by <paramref name="margin"/> on every side, clipped to the image.</summary>
    private static Rect Grown(Rect box, int margin, int height, int width)
    {
        int x0 = Math.Max(0, box.X - margin), y0 = Math.Max(0, box.Y - margin);
        int x1 = Math.Min(width, box.Right + margin), y1 = Math.Min(height, box.Bottom + margin);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>Euclidean distance of every pixel of <paramref name="roi"/> (row-major) to the nearest pixel of label <paramref name="k"/>.</summary>
    private static float[] DistanceTo(LabelImage labels, int k, Rect roi)
    {
        int w = labels.Width, rw = roi.Width, rh = roi.Height;
        var data = labels.Data;
        var notK = new byte[rw * rh];
        for (int y = 0; y < rh; y++)
        {
            int row = (y + roi.Y) * w + roi.X;
            for (int x = 0; x < rw; x++) notK[y * rw + x] = data[row + x] == k ? (byte)0 : (byte)255;
        }
        using var src = Mat.FromPixelData(rh, rw, MatType.CV_8UC1, notK);
        using var dist = new Mat();
        Cv2.DistanceTransform(src, dist, DistanceTypes.L2, DistanceTransformMasks.Precise);
        return Read(dist);
    }

    /// <summary>Merges one nucleus's distances (<paramref name="dist"/> over <paramref name="roi"/>) into the two smallest so far.</summary>
    private static void KeepNearestTwo(float[] dist, Rect roi, int width, float[] d1, float[] d2)
    {
        for (int y = 0; y < roi.Height; y++)
        {
            int row = (y + roi.Y) * width + roi.X;
            for (int x = 0; x < roi.Width; x++)
            {
                float d = dist[y * roi.Width + x];
                int i = row + x;
                if (d < d1[i]) { d2[i] = d1[i]; d1[i] = d; }
                else if (d < d2[i]) d2[i] = d;
            }
        }
    }

    /// <summary>w_c of the U-Net weight map: inverse class frequency scaled to mean 1; 1 for both when disabled or when a class is absent.</summary>
    private static (float Foreground, float Background) ClassWeights(int[] data, bool classBalance)
    {
        int n = data.Length, fg = 0;
        foreach (int v in data) if (v > 0) fg++;
        if (classBalance && fg > 0 && fg < n)
            return ((float)(n / (2.0 * fg)), (float)(n / (2.0 * (n - fg))));
        return (1f, 1f);
    }

    /// <summary>
    /// samuelschen/DSB2018's emphasis weight map (used by its WBCE and "Focal2" losses, "weighted by contour and centroid"):
    /// 1 everywhere, + <paramref name="contourEmphasis"/> on contour pixels, + <paramref name="centroidEmphasis"/> on a
    /// disc of <paramref name="centroidRadius"/> px around each nucleus's centroid (within the nucleus; the deepest
    /// pixel stands in when the centroid falls outside a curved nucleus).
    /// </summary>
    public static float[] EmphasisWeightMap(LabelImage labels, float[] contour, float contourEmphasis = 2f,
        float centroidEmphasis = 2f, int centroidRadius = 2)
    {
        int h = labels.Height, w = labels.Width;
        var data = labels.Data;
        var result = new float[labels.PixelCount];
        for (int i = 0; i < result.Length; i++) result[i] = 1f + contourEmphasis * contour[i];
        if (centroidEmphasis == 0) return result;
        var centres = Centres(labels);
        int r2 = centroidRadius * centroidRadius;
        for (int k = 1; k < centres.Length; k++)
        {
            var (cy, cx) = centres[k];
            if (cy < 0) continue;
            for (int y = Math.Max(0, cy - centroidRadius); y <= Math.Min(h - 1, cy + centroidRadius); y++)
                for (int x = Math.Max(0, cx - centroidRadius); x <= Math.Min(w - 1, cx + centroidRadius); x++)
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r2 && data[y * w + x] == k)
                        result[y * w + x] += centroidEmphasis;
        }
        return result;
    }

    /// <summary>Centre pixel (row, column) of each label: the rounded centroid, or the deepest pixel when the centroid is not inside it; (-1, -1) for absent labels.</summary>
    public static (int Y, int X)[] Centres(LabelImage labels)
    {
        int w = labels.Width, max = labels.MaxLabel();
        var sy = new double[max + 1]; var sx = new double[max + 1]; var count = new int[max + 1];
        var data = labels.Data;
        for (int i = 0; i < data.Length; i++)
        {
            int k = data[i];
            if (k <= 0) continue;
            sy[k] += i / w; sx[k] += i % w; count[k]++;
        }
        var centres = new (int, int)[max + 1];
        float[]? depth = null;
        for (int k = 1; k <= max; k++)
        {
            if (count[k] == 0) { centres[k] = (-1, -1); continue; }
            int cy = (int)Math.Round(sy[k] / count[k]), cx = (int)Math.Round(sx[k] / count[k]);
            if (data[cy * w + cx] == k) { centres[k] = (cy, cx); continue; }
            depth ??= Depth(labels);
            int best = -1;
            for (int i = 0; i < data.Length; i++)
                if (data[i] == k && (best < 0 || depth[i] > depth[best])) best = i;
            centres[k] = (best / w, best % w);
        }
        return centres;
    }

    private static Rect[] BoundingBoxes(LabelImage labels)
    {
        int w = labels.Width, max = labels.MaxLabel();
        var minX = new int[max + 1]; var minY = new int[max + 1]; var maxX = new int[max + 1]; var maxY = new int[max + 1];
        Array.Fill(minX, int.MaxValue); Array.Fill(minY, int.MaxValue); Array.Fill(maxX, -1); Array.Fill(maxY, -1);
        var data = labels.Data;
        for (int i = 0; i < data.Length; i++)
        {
            int k = data[i];
            if (k <= 0) continue;
            int y = i / w, x = i % w;
            if (x < minX[k]) minX[k] = x;
            if (x > maxX[k]) maxX[k] = x;
            if (y < minY[k]) minY[k] = y;
            if (y > maxY[k]) maxY[k] = y;
        }
        var boxes = new Rect[max + 1];
        for (int k = 1; k <= max; k++)
            boxes[k] = maxX[k] < 0 ? new Rect(0, 0, 0, 0) : new Rect(minX[k], minY[k], maxX[k] - minX[k] + 1, maxY[k] - minY[k] + 1);
        return boxes;
    }

    /// <summary>Label map as a float Mat (exact for labels below 2^24), background mapped to <paramref name="backgroundValue"/>.</summary>
    private static Mat ToMat(LabelImage labels, float backgroundValue)
    {
        var f = new float[labels.PixelCount];
        var data = labels.Data;
        for (int i = 0; i < f.Length; i++) f[i] = data[i] > 0 ? data[i] : backgroundValue;
        return Mat.FromPixelData(labels.Height, labels.Width, MatType.CV_32FC1, f);
    }

    /// <summary>Contour window: 3×3 square for thickness 1 (8-neighbourhood, a closed 1-px ring), a Euclidean disc otherwise.</summary>
    private static Mat Kernel(int radius) =>
        radius == 1 ? Cv2.GetStructuringElement(MorphShapes.Rect, new Size(3, 3)) : Disc(radius);

    /// <summary>Exact Euclidean disc (offsets with dy² + dx² ≤ r²); OpenCV's ellipse element reaches a little further.</summary>
    private static Mat Disc(int radius)
    {
        int size = 2 * radius + 1;
        var k = new byte[size * size];
        for (int y = -radius; y <= radius; y++)
            for (int x = -radius; x <= radius; x++)
                if (y * y + x * x <= radius * radius) k[(y + radius) * size + x + radius] = 1;
        return Mat.FromPixelData(size, size, MatType.CV_8UC1, k);
    }

    private static float[] Read(Mat m)
    {
        var result = new float[m.Rows * m.Cols];
        Marshal.Copy(m.Data, result, 0, result.Length);
        return result;
    }
}
