using Nuclei.Core.Memory;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Marker-controlled watershed by priority flooding (Meyer's flooding algorithm; Soille 1990's insight that the time of
/// entry into the queue splits plateaus between markers), with optional compact watershed (Neubert &amp; Protzel, ICPR 2014)
/// and optional one-pixel watershed lines. Semantics follow <c>skimage.segmentation.watershed</c> (0.19,
/// _watershed_cy.pyx): markers outside the mask are ignored, pixels outside the mask stay 0, neighbours are visited
/// nearest first, and ties in height are broken by queue-entry order.
/// Works on flat arrays padded by one pixel so the inner loop needs no bounds checks.
/// </summary>
internal static class Watershed
{
    /// <param name="landscape">Heights to flood (lowest first), e.g. -distance or 1 - probability.</param>
    /// <param name="markers">Seed labels (&gt; 0); 0 = to be flooded.</param>
    /// <param name="mask">Only true pixels are labelled; empty span = the whole image.</param>
    /// <param name="eightConnected">8-neighbourhood (skimage connectivity=2) instead of 4 (connectivity=1).</param>
    /// <param name="compactness">&gt; 0 adds compactness × distance to its marker to a pixel's priority.</param>
    /// <param name="watershedLine">Leave a one-pixel line of 0 between regions.</param>
    /// <returns>The label map (row-major, height × width).</returns>
    public static int[] Run(int height, int width, ReadOnlySpan<float> landscape, ReadOnlySpan<int> markers,
        ReadOnlySpan<bool> mask = default, bool eightConnected = false, double compactness = 0, bool watershedLine = false)
    {
        CvArrays.CheckSize(landscape.Length, height, width, "landscape");
        CvArrays.CheckSize(markers.Length, height, width, "markers");
        if (!mask.IsEmpty) CvArrays.CheckSize(mask.Length, height, width, "mask");

        int pw = width + 2, ph = height + 2, n = pw * ph;
        // Padded working copies (pooled up to a size; see ScratchArrays).
        var image = ScratchArrays.Rent<float>(n);
        var inMask = ScratchArrays.Rent<bool>(n);   // false on the padding: the flood never leaves the image
        var output = ScratchArrays.Rent<int>(n);
        try
        {
            return Flood(height, width, landscape, markers, mask, eightConnected, compactness, watershedLine, image, inMask, output);
        }
        finally
        {
            ScratchArrays.Return(image);
            ScratchArrays.Return(inMask);
            ScratchArrays.Return(output);
        }
    }

    static int[] Flood(int height, int width, ReadOnlySpan<float> landscape, ReadOnlySpan<int> markers, ReadOnlySpan<bool> mask,
        bool eightConnected, double compactness, bool watershedLine, float[] image, bool[] inMask, int[] output)
    {
        int pw = width + 2, n = pw * (height + 2);
        Pad(height, width, landscape, markers, mask, image, inMask, output);

        // Neighbour offsets sorted by distance from the centre, as skimage's _offsets_to_raveled_neighbors.
        int[] offsets = eightConnected
            ? new[] { -pw, -1, 1, pw, -pw - 1, -pw + 1, pw - 1, pw + 1 }
            : new[] { -pw, -1, 1, pw };

        if (compactness <= 0 && !watershedLine) FloodByLevels(image, inMask, output, offsets, n);
        else FloodByQueue(image, inMask, output, offsets, n, pw, compactness, watershedLine);
        return Crop(output, height, width);
    }

    /// <summary>The inputs copied into the padded working arrays: a one-pixel border outside the mask and unlabelled.</summary>
    static void Pad(int height, int width, ReadOnlySpan<float> landscape, ReadOnlySpan<int> markers, ReadOnlySpan<bool> mask,
        float[] image, bool[] inMask, int[] output)
    {
        int pw = width + 2, ph = height + 2;
        Array.Clear(inMask, 0, pw); Array.Clear(output, 0, pw);
        Array.Clear(inMask, (ph - 1) * pw, pw); Array.Clear(output, (ph - 1) * pw, pw);
        for (int y = 1; y < ph - 1; y++)
        {
            inMask[y * pw] = inMask[y * pw + pw - 1] = false;
            output[y * pw] = output[y * pw + pw - 1] = 0;
        }
        for (int y = 0; y < height; y++)
        {
            int src = y * width, dst = (y + 1) * pw + 1;
            for (int x = 0; x < width; x++)
            {
                bool m = mask.IsEmpty || mask[src + x];
                image[dst + x] = landscape[src + x];
                inMask[dst + x] = m;
                output[dst + x] = m ? markers[src + x] : 0;
            }
        }
    }

    /// <summary>Priority flooding for compact watershed and watershed lines: pixels are labelled as they leave the queue.</summary>
    static void FloodByQueue(float[] image, bool[] inMask, int[] output, int[] offsets, int n, int pw, double compactness, bool watershedLine)
    {
        bool compact = compactness > 0;
        var queue = SeedQueue(image, inMask, output, offsets, n);
        int age = 1;
        while (queue.Count > 0)
        {
            var e = queue.Pop();
            // Label as pixels leave the queue: with compactness a later push can be cheaper, and a line
            // pixel can only be recognised once all its neighbours are settled.
            if (output[e.Index] != 0 && e.Index != e.Source) continue;
            if (watershedLine && HasTwoLabelsAround(output, inMask, offsets, e.Index)) continue;
            output[e.Index] = output[e.Source];
            foreach (int off in offsets)
            {
                int nb = e.Index + off;
                if (!inMask[nb] || output[nb] != 0) continue;
                age++;
                double value = image[nb];
                if (compact) value += compactness * Distance(nb, e.Source, pw);
                queue.Push(value, age, nb, e.Source);
            }
        }
    }

    /// <summary>
    /// Seeds enter the queue with age 0. A seed whose in-mask neighbours all carry its own label would leave the
    /// queue without effect (nothing to push, no line to draw), so only the markers on a region's edge go in:
    /// with large markers (shrunk nuclei) that keeps the queue small.
    /// </summary>
    static FloodQueue SeedQueue(float[] image, bool[] inMask, int[] output, int[] offsets, int n)
    {
        var queue = new FloodQueue(1024);
        for (int i = 0; i < n; i++)
        {
            int label = output[i];
            if (label == 0) continue;
            bool interior = true;
            foreach (int off in offsets)
            {
                int nb = i + off;
                if (inMask[nb] && output[nb] != label) { interior = false; break; }
            }
            if (!interior) queue.Push(image[i], 0, i, i);
        }
        return queue;
    }

    static int[] Crop(int[] output, int height, int width)
    {
        int pw = width + 2;
        var result = new int[height * width];
        for (int y = 0; y < height; y++)
            Array.Copy(output, (y + 1) * pw + 1, result, y * width, width);
        return result;
    }

    // The plain watershed (labels set on push), with the level queue: same order as the heap, fewer operations.
    static void FloodByLevels(float[] image, bool[] inMask, int[] output, int[] offsets, int n)
    {
        var next = ScratchArrays.Rent<int>(n);
        try
        {
            var queue = new LevelQueue(next);
            for (int i = 0; i < n; i++)
            {
                int label = output[i];
                if (label == 0) continue;
                foreach (int off in offsets)
                {
                    int nb = i + off;
                    if (inMask[nb] && output[nb] != label) { queue.Push(image[i], i); break; } // edge seeds only (see Flood)
                }
            }
            while (queue.Count > 0)
            {
                int index = queue.Pop();
                int label = output[index];
                foreach (int off in offsets)
                {
                    int nb = index + off;
                    if (!inMask[nb] || output[nb] != 0) continue;
                    output[nb] = label;
                    queue.Push(image[nb], nb);
                }
            }
        }
        finally { ScratchArrays.Return(next); }
    }

    // skimage _diff_neighbors: true (and the pixel leaves the mask, becoming line) when two different labels touch it.
    static bool HasTwoLabelsAround(int[] output, bool[] inMask, int[] offsets, int index)
    {
        if (!inMask[index]) return true;
        int first = 0;
        foreach (int off in offsets)
        {
            int nb = index + off;
            if (!inMask[nb]) continue; // a line pixel is not a neighbour
            int label = output[nb];
            if (first == 0) first = label;
            else if (label != 0 && label != first) { inMask[index] = false; return true; }
        }
        return false;
    }

    static double Distance(int a, int b, int stride)
    {
        int ay = a / stride, ax = a - ay * stride, by = b / stride, bx = b - by * stride;
        double dy = ay - by, dx = ax - bx;
        return Math.Sqrt(dy * dy + dx * dx);
    }
}
