using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Detections → a label map, as Mask R-CNN's inference pastes masks (He et al. 2017 §3: the 28×28 mask resized to the
/// box and binarised; torchvision's paste_masks_in_image), for nuclei that touch: detections at or above the score
/// threshold, highest score first, each takes the pixels of its box whose bilinearly resized mask probability reaches the
/// mask threshold and that no higher-scoring nucleus holds (a lower score loses the intersection). What is left of a
/// nucleus in pieces keeps only the 4-connected pieces of at least the minimum size; smaller fragments go back to the
/// background. Also paints the largest mask probability at each pixel (the foreground map validation scores).
/// </summary>
internal sealed class DetectionPainter
{
    private readonly float _scoreThreshold, _maskThreshold;
    private readonly int _minSize;

    public DetectionPainter(double scoreThreshold, double maskThreshold, int minSize)
    {
        _scoreThreshold = (float)scoreThreshold;
        _maskThreshold = (float)maskThreshold;
        _minSize = Math.Max(1, minSize);
    }

    /// <summary>The label map (labels 1.. in descending score order, without gaps) and the foreground probability map.</summary>
    public (LabelImage Labels, FloatImage Foreground) Paint(IReadOnlyList<DetectedNucleus> detections, int height, int width)
    {
        var labels = new LabelImage(height, width);
        var foreground = new float[height * width];
        int next = 1;
        foreach (var d in detections.Where(d => d.Score >= _scoreThreshold).OrderByDescending(d => d.Score))
        {
            var claimed = Claim(d, labels, foreground);
            if (KeepLargeFragments(claimed, labels, width)) Relabel(claimed, labels, next++);
        }
        return (labels, new FloatImage(height, width, 1, foreground));
    }

    /// <summary>Pixels of <paramref name="d"/>'s pasted mask that no nucleus holds yet, marked −1 in <paramref name="labels"/>.</summary>
    private List<int> Claim(DetectedNucleus d, LabelImage labels, float[] foreground)
    {
        var claimed = new List<int>();
        int x0 = Math.Max(0, (int)Math.Floor(d.X1)), x1 = Math.Min(labels.Width, (int)Math.Ceiling(d.X2));
        int y0 = Math.Max(0, (int)Math.Floor(d.Y1)), y1 = Math.Min(labels.Height, (int)Math.Ceiling(d.Y2));
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                float p = MaskAt(d, x + 0.5f, y + 0.5f);
                int i = y * labels.Width + x;
                foreground[i] = Math.Max(foreground[i], p);
                if (p < _maskThreshold || labels.Data[i] != 0) continue;
                labels.Data[i] = -1;
                claimed.Add(i);
            }
        return claimed;
    }

    /// <summary>The mask probability at image point (<paramref name="px"/>, <paramref name="py"/>): bilinear between the grid's cell centres, edge cells extended.</summary>
    internal static float MaskAt(DetectedNucleus d, float px, float py)
    {
        int m = d.MaskSize;
        float w = Math.Max(d.X2 - d.X1, 1e-3f), h = Math.Max(d.Y2 - d.Y1, 1e-3f);
        float u = Math.Clamp((px - d.X1) / w * m - 0.5f, 0, m - 1);
        float v = Math.Clamp((py - d.Y1) / h * m - 0.5f, 0, m - 1);
        int u0 = (int)u, v0 = (int)v, u1 = Math.Min(u0 + 1, m - 1), v1 = Math.Min(v0 + 1, m - 1);
        float fu = u - u0, fv = v - v0;
        float top = d.Mask[v0 * m + u0] * (1 - fu) + d.Mask[v0 * m + u1] * fu;
        float bottom = d.Mask[v1 * m + u0] * (1 - fu) + d.Mask[v1 * m + u1] * fu;
        return top * (1 - fv) + bottom * fv;
    }

    /// <summary>Releases the claimed 4-connected pieces smaller than the minimum size; whether any piece is left.</summary>
    private bool KeepLargeFragments(List<int> claimed, LabelImage labels, int width)
    {
        var pieces = Pieces(claimed, labels, width);
        foreach (var piece in pieces.Where(p => p.Count < _minSize))
            foreach (int i in piece) labels.Data[i] = 0;
        claimed.RemoveAll(i => labels.Data[i] == 0);
        return claimed.Count > 0;
    }

    /// <summary>The 4-connected pieces of the pixels marked −1 (flood fill; marks them −2 while visiting, then back to −1).</summary>
    private static List<List<int>> Pieces(List<int> claimed, LabelImage labels, int width)
    {
        var pieces = new List<List<int>>();
        var stack = new Stack<int>();
        foreach (int start in claimed)
        {
            if (labels.Data[start] != -1) continue;
            var piece = new List<int>();
            labels.Data[start] = -2;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                piece.Add(i);
                int x = i % width;
                if (x > 0) Visit(i - 1);
                if (x < width - 1) Visit(i + 1);
                if (i >= width) Visit(i - width);
                if (i + width < labels.Data.Length) Visit(i + width);
            }
            pieces.Add(piece);
        }
        foreach (int i in claimed) labels.Data[i] = -1;
        return pieces;

        void Visit(int j)
        {
            if (labels.Data[j] != -1) return;
            labels.Data[j] = -2;
            stack.Push(j);
        }
    }

    private static void Relabel(List<int> claimed, LabelImage labels, int label)
    {
        foreach (int i in claimed) labels.Data[i] = label;
    }
}
