using Nuclei.Core.Imaging;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// The ground truth of one training image for a detector: a box [G, 4] (x1, y1, x2, y2, pixel edges: a nucleus covering
/// columns 3..5 spans x 3 to 6) and a full-image binary mask [G, H, W] per nucleus of a label map (0 background).
/// </summary>
internal sealed class InstanceTargets : IDisposable
{
    internal InstanceTargets(Tensor boxes, Tensor masks)
    {
        Boxes = boxes;
        Masks = masks;
    }

    internal Tensor Boxes { get; }

    internal Tensor Masks { get; }

    public int Count => (int)Boxes.shape[0];

    /// <summary>The nuclei of <paramref name="labels"/>, in increasing label order.</summary>
    public static InstanceTargets FromLabels(LabelImage labels)
    {
        var extents = Extents(labels);
        int g = extents.Count, plane = labels.PixelCount;
        var boxes = new float[g * 4];
        var masks = new float[(long)g * plane];
        int k = 0;
        foreach (var (label, e) in extents)
        {
            boxes[4 * k] = e.X1; boxes[4 * k + 1] = e.Y1; boxes[4 * k + 2] = e.X2 + 1; boxes[4 * k + 3] = e.Y2 + 1;
            e.Index = k++;
        }
        for (int i = 0; i < plane; i++)
            if (labels.Data[i] > 0) masks[(long)extents[labels.Data[i]].Index * plane + i] = 1f;
        return new InstanceTargets(tensor(boxes, new long[] { g, 4 }), tensor(masks, new long[] { g, labels.Height, labels.Width }));
    }

    /// <summary>Each label's bounding pixels, in increasing label order.</summary>
    private static SortedDictionary<int, Extent> Extents(LabelImage labels)
    {
        var extents = new SortedDictionary<int, Extent>();
        for (int y = 0; y < labels.Height; y++)
            for (int x = 0; x < labels.Width; x++)
            {
                int label = labels[y, x];
                if (label <= 0) continue;
                if (!extents.TryGetValue(label, out var e)) extents[label] = e = new Extent { X1 = x, Y1 = y, X2 = x, Y2 = y };
                e.X1 = Math.Min(e.X1, x); e.X2 = Math.Max(e.X2, x); e.Y2 = y;
            }
        return extents;
    }

    private sealed class Extent
    {
        public int X1, Y1, X2, Y2, Index;
    }

    public void Dispose()
    {
        Boxes.Dispose();
        Masks.Dispose();
    }
}
