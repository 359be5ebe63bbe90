using OpenCvSharp;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Local maxima of an image with a minimum spacing: the semantics of <c>skimage.feature.peak_local_max</c> (0.19)
/// with a square footprint of side 2·min_distance+1, Chebyshev spacing (p_norm=inf), threshold_abs, exclude_border
/// and per-label search. Peaks are found with a maximum filter (OpenCV dilate, zero outside the box as scipy's
/// mode='constant'), then taken greedily from the highest down, dropping any closer than min_distance to one kept.
/// Ties in height are taken in raster order.
/// </summary>
internal static class PeakLocalMax
{
    /// <param name="minDistance">Peaks closer than this (Chebyshev) to a higher kept peak are dropped; also the filter radius.</param>
    /// <param name="thresholdAbs">Peaks must be strictly above this; default the image minimum.</param>
    /// <param name="excludeBorder">Width of the border where no peak is reported; default <paramref name="minDistance"/> (skimage's True). 0 for none.</param>
    /// <param name="labels">Optional label map: peaks are searched within each label separately (spacing applies per label).</param>
    /// <returns>Peak coordinates, per label in label order, each label's from highest to lowest.</returns>
    public static List<(int Y, int X)> Find(int height, int width, ReadOnlySpan<float> image, int minDistance = 1,
        float? thresholdAbs = null, int? excludeBorder = null, ReadOnlySpan<int> labels = default)
    {
        CvArrays.CheckSize(image.Length, height, width, "image");
        if (minDistance < 1) minDistance = 1;
        var search = new PeakSearch(height, width, minDistance, Threshold: thresholdAbs ?? Min(image), Border: excludeBorder ?? minDistance);
        return labels.IsEmpty ? FindInWholeImage(image, search) : FindPerLabel(image, labels, search);
    }

    /// <summary>The image size and the settings of <see cref="Find"/>, defaults resolved.</summary>
    readonly record struct PeakSearch(int Height, int Width, int MinDistance, float Threshold, int Border);

    static List<(int Y, int X)> FindInWholeImage(ReadOnlySpan<float> image, PeakSearch s)
    {
        var peaks = new List<(int, int)>();
        var data = image.ToArray();
        var candidates = Candidates(data, new BoundingBox(0, 0, s.Height, s.Width), s.MinDistance, s.Threshold, labelMask: null);
        RemoveBorder(candidates, s.Width, s.Height, s.Border);
        Space(candidates, data, s.Width, s.Height, s.MinDistance, covered: new int[s.Height * s.Width], stamp: 1, peaks);
        return peaks;
    }

    static List<(int Y, int X)> FindPerLabel(ReadOnlySpan<float> image, ReadOnlySpan<int> labels, PeakSearch s)
    {
        CvArrays.CheckSize(labels.Length, s.Height, s.Width, "labels");
        var peaks = new List<(int, int)>();
        var covered = new int[s.Height * s.Width]; // stamp of the search that covered a pixel (spacing), 0 = free
        // skimage finds each label's box on a copy of the labels with the border cleared.
        var cleared = labels.ToArray();
        ClearBorder(cleared, s.Height, s.Width, s.Border);
        int maxLabel = ConnectedComponents.MaxLabel(cleared);
        var boxes = BoundingBoxes.Of(s.Height, s.Width, cleared, maxLabel);
        for (int label = 1; label <= maxLabel; label++)
        {
            if (boxes[label].IsEmpty) continue;
            var candidates = CandidatesOfLabel(image, labels, label, boxes[label], s);
            SpaceFromImage(candidates, image, s.Width, s.Height, s.MinDistance, covered, label, peaks); // heights come from the full image
        }
        return peaks;
    }

    /// <summary>The candidates of one label, searched in its box with the other pixels masked out; indices into the full image.</summary>
    static List<int> CandidatesOfLabel(ReadOnlySpan<float> image, ReadOnlySpan<int> labels, int label, BoundingBox b, PeakSearch s)
    {
        var crop = new float[b.Height * b.Width];
        var mask = new bool[crop.Length];
        for (int y = 0; y < b.Height; y++)
            for (int x = 0; x < b.Width; x++)
            {
                int gi = (b.Top + y) * s.Width + b.Left + x, ci = y * b.Width + x;
                mask[ci] = labels[gi] == label;
                crop[ci] = mask[ci] ? image[gi] : float.MinValue; // masked values don't make peaks
            }
        var candidates = Candidates(crop, new BoundingBox(0, 0, b.Height, b.Width), s.MinDistance, s.Threshold, mask);
        // back to image coordinates
        for (int k = 0; k < candidates.Count; k++)
        {
            int ci = candidates[k], y = ci / b.Width, x = ci - y * b.Width;
            candidates[k] = (b.Top + y) * s.Width + b.Left + x;
        }
        return candidates;
    }

    /// <summary>Same as <see cref="Find"/>, as a boolean mask of the peak pixels.</summary>
    public static bool[] FindMask(int height, int width, ReadOnlySpan<float> image, int minDistance = 1,
        float? thresholdAbs = null, int? excludeBorder = null, ReadOnlySpan<int> labels = default)
    {
        var mask = new bool[height * width];
        foreach (var (y, x) in Find(height, width, image, minDistance, thresholdAbs, excludeBorder, labels)) mask[y * width + x] = true;
        return mask;
    }

    // Pixels equal to the maximum of their footprint and above the threshold (skimage _get_peak_mask), as indices into data.
    static List<int> Candidates(float[] data, BoundingBox box, int minDistance, float threshold, bool[]? labelMask)
    {
        int h = box.Height, w = box.Width, size = 2 * minDistance + 1;
        var maxed = new float[data.Length];
        using (var src = CvArrays.Wrap(data, h, w))
        using (var dst = CvArrays.Wrap(maxed, h, w))
        using (var kernel = Mat.Ones(size, size, MatType.CV_8UC1).ToMat())
            Cv2.Dilate(src, dst, kernel, null, 1, BorderTypes.Constant, new Scalar(0));

        var isPeak = new bool[data.Length];
        bool trivial = true; // every (masked) pixel is its own maximum: a plateau, no peak by that test
        for (int i = 0; i < data.Length; i++)
        {
            isPeak[i] = data[i] == maxed[i];
            if ((labelMask == null || labelMask[i]) && !isPeak[i]) trivial = false;
        }
        if (trivial)
        {
            Array.Clear(isPeak);
            if (labelMask != null)
            {
                // skimage keeps the pixels an opening (3x3 cross) removes: thin bits of a flat object.
                var opened = Opening(labelMask, h, w);
                for (int i = 0; i < data.Length; i++) isPeak[i] = labelMask[i] != opened[i];
            }
        }
        var result = new List<int>();
        for (int i = 0; i < data.Length; i++) if (isPeak[i] && data[i] > threshold) result.Add(i);
        return result;
    }

    static bool[] Opening(bool[] mask, int h, int w)
    {
        var bytes = CvArrays.ToBytes(mask);
        var outBytes = new byte[bytes.Length];
        using var src = CvArrays.Wrap(bytes, h, w);
        using var dst = CvArrays.Wrap(outBytes, h, w);
        using var cross = Cv2.GetStructuringElement(MorphShapes.Cross, new OpenCvSharp.Size(3, 3));
        // scipy erodes with a zero border; OpenCV's default erode border would count outside as set.
        using var eroded = new Mat();
        Cv2.Erode(src, eroded, cross, null, 1, BorderTypes.Constant, new Scalar(0));
        Cv2.Dilate(eroded, dst, cross, null, 1, BorderTypes.Constant, new Scalar(0));
        var opened = new bool[mask.Length];
        for (int i = 0; i < opened.Length; i++) opened[i] = outBytes[i] != 0;
        return opened;
    }

    static void RemoveBorder(List<int> candidates, int width, int height, int border)
    {
        if (border <= 0) return;
        candidates.RemoveAll(i =>
        {
            int y = i / width, x = i - y * width;
            return y < border || y >= height - border || x < border || x >= width - border;
        });
    }

    static void ClearBorder(int[] labels, int height, int width, int border)
    {
        if (border <= 0) return;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if (y < border || y >= height - border || x < border || x >= width - border) labels[y * width + x] = 0;
    }

    static void Space(List<int> candidates, float[] heights, int width, int height, int minDistance, int[] covered, int stamp, List<(int, int)> peaks)
        => SpaceFromImage(candidates, heights, width, height, minDistance, covered, stamp, peaks);

    // skimage ensure_spacing: highest first; a candidate closer than minDistance (Chebyshev) to a kept one is dropped.
    static void SpaceFromImage(List<int> candidates, ReadOnlySpan<float> heights, int width, int height, int minDistance, int[] covered, int stamp, List<(int, int)> peaks)
    {
        if (candidates.Count == 0) return;
        var keys = new float[candidates.Count];
        for (int k = 0; k < keys.Length; k++) keys[k] = -heights[candidates[k]];
        var order = candidates.ToArray();
        // stable: equal heights keep raster order
        var idx = new int[order.Length];
        for (int k = 0; k < idx.Length; k++) idx[k] = k;
        Array.Sort(idx, (a, b) => { int c = keys[a].CompareTo(keys[b]); return c != 0 ? c : a.CompareTo(b); });
        int r = minDistance - 1;
        foreach (int k in idx)
        {
            int i = order[k];
            if (covered[i] == stamp) continue;
            int y = i / width, x = i - y * width;
            peaks.Add((y, x));
            for (int yy = Math.Max(0, y - r); yy <= Math.Min(height - 1, y + r); yy++)
                for (int xx = Math.Max(0, x - r); xx <= Math.Min(width - 1, x + r); xx++)
                    covered[yy * width + xx] = stamp;
        }
    }

    static float Min(ReadOnlySpan<float> values)
    {
        float m = float.PositiveInfinity;
        foreach (float v in values) if (v < m) m = v;
        return m;
    }
}
