namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Hole filling: a hole is a 4-connected region of non-object pixels that does not reach the image border
/// (scipy's ndi.binary_fill_holes with its default cross structure).
/// </summary>
internal static class HoleFilling
{
    /// <summary>Fills the holes of a binary mask in place.</summary>
    public static void FillHoles(int height, int width, Span<bool> mask)
    {
        CvArrays.CheckSize(mask.Length, height, width, "mask");
        // Flood the background from the border; whatever background is not reached is a hole.
        var reached = new bool[mask.Length];
        var stack = new int[mask.Length];
        int top = 0;
        void Seed(int i, Span<bool> m) { if (!m[i] && !reached[i]) { reached[i] = true; stack[top++] = i; } }
        for (int x = 0; x < width; x++) { Seed(x, mask); Seed((height - 1) * width + x, mask); }
        for (int y = 0; y < height; y++) { Seed(y * width, mask); Seed(y * width + width - 1, mask); }
        while (top > 0)
        {
            int i = stack[--top];
            int y = i / width, x = i - y * width;
            if (x > 0) Seed(i - 1, mask);
            if (x < width - 1) Seed(i + 1, mask);
            if (y > 0) Seed(i - width, mask);
            if (y < height - 1) Seed(i + width, mask);
        }
        for (int i = 0; i < mask.Length; i++) if (!mask[i] && !reached[i]) mask[i] = true;
    }

    /// <summary>
    /// Fills the holes of every object of a label map in place, object by object (as samuelschen/DSB2018 does): background
    /// pixels enclosed by one object take its label. Other objects lying inside a hole are left as they are.
    /// Works inside each object's bounding box, so the cost is the sum of the boxes.
    /// </summary>
    public static void FillHolesPerObject(int height, int width, Span<int> labels)
    {
        CvArrays.CheckSize(labels.Length, height, width, "labels");
        int maxLabel = ConnectedComponents.MaxLabel(labels);
        if (maxLabel == 0) return;
        var boxes = BoundingBoxes.Of(height, width, labels, maxLabel);
        int[] visited = Array.Empty<int>();
        int[] stack = Array.Empty<int>();
        for (int label = 1; label <= maxLabel; label++)
        {
            var b = boxes[label];
            if (b.IsEmpty || b.Height < 3 || b.Width < 3) continue; // too thin to enclose anything
            // Box padded by one pixel: the padding is "outside" and seeds the flood.
            int bh = b.Height + 2, bw = b.Width + 2, n = bh * bw;
            if (visited.Length < n) { visited = new int[n]; stack = new int[n]; }
            var seen = visited.AsSpan(0, n);
            seen.Clear();
            int top = 0;
            for (int x = 0; x < bw; x++) { seen[x] = 1; stack[top++] = x; seen[(bh - 1) * bw + x] = 1; stack[top++] = (bh - 1) * bw + x; }
            for (int y = 1; y < bh - 1; y++) { seen[y * bw] = 1; stack[top++] = y * bw; seen[y * bw + bw - 1] = 1; stack[top++] = y * bw + bw - 1; }
            while (top > 0)
            {
                int j = stack[--top];
                int y = j / bw, x = j - y * bw;
                for (int k = 0; k < 4; k++)
                {
                    int ny = y + (k == 0 ? -1 : k == 1 ? 1 : 0), nx = x + (k == 2 ? -1 : k == 3 ? 1 : 0);
                    if (ny < 0 || ny >= bh || nx < 0 || nx >= bw) continue;
                    int nj = ny * bw + nx;
                    if (seen[nj] != 0) continue;
                    int gy = b.Top + ny - 1, gx = b.Left + nx - 1;
                    if (labels[gy * width + gx] == label) continue; // the object itself stops the flood
                    seen[nj] = 1; stack[top++] = nj;
                }
            }
            for (int y = 1; y < bh - 1; y++)
                for (int x = 1; x < bw - 1; x++)
                {
                    if (seen[y * bw + x] != 0) continue;
                    int gi = (b.Top + y - 1) * width + b.Left + x - 1;
                    if (labels[gi] == 0) labels[gi] = label;
                }
        }
    }
}
