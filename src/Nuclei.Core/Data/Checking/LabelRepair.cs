using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Core.Data.Checking;

/// <summary>
/// The corrections <c>nuclei data check --fix</c> applies: masks merged into one label map with every pixel given
/// to one nucleus, holes filled, disconnected pieces made separate nuclei, and nuclei under the minimum size dropped.
/// </summary>
internal static class LabelRepair
{
    /// <summary>
    /// Merges per-nucleus masks (row-major indices) into a label map. A pixel claimed by several masks goes to the
    /// smallest of them, so a small nucleus is never swallowed by a large one drawn over it. Labels follow the input order.
    /// </summary>
    public static LabelImage Merge(IReadOnlyList<int[]> masks, int height, int width)
    {
        var labels = new LabelImage(height, width);
        var order = Enumerable.Range(0, masks.Count).OrderBy(k => masks[k].Length).ThenBy(k => k);
        foreach (int k in order)
            foreach (int i in masks[k])
                if (labels.Data[i] == 0) labels.Data[i] = k + 1;
        return labels;
    }

    /// <summary>Fills holes, splits disconnected pieces into separate nuclei, drops nuclei under <paramref name="minSize"/> px; labels 1..N.</summary>
    public static LabelImage Repair(LabelImage labels, int minSize)
    {
        var data = (int[])labels.Data.Clone();
        HoleFilling.FillHolesPerObject(labels.Height, labels.Width, data);
        data = SplitPieces(labels.Height, labels.Width, data);
        SmallObjects.RemoveFromLabels(data, minSize);
        RelabelSequential.Apply(data);
        return new LabelImage(labels.Height, labels.Width, data);
    }

    /// <summary>Gives every 8-connected piece of every label its own label (pieces of different labels never join).</summary>
    public static int[] SplitPieces(int height, int width, ReadOnlySpan<int> labels)
    {
        var result = new int[labels.Length];
        var stack = new Stack<int>();
        int next = 0;
        for (int start = 0; start < labels.Length; start++)
        {
            int label = labels[start];
            if (label == 0 || result[start] != 0) continue;
            result[start] = ++next;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                int y = i / width, x = i - y * width;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int ny = y + dy, nx = x + dx;
                        if (ny < 0 || ny >= height || nx < 0 || nx >= width) continue;
                        int j = ny * width + nx;
                        if (labels[j] != label || result[j] != 0) continue;
                        result[j] = next;
                        stack.Push(j);
                    }
            }
        }
        return result;
    }
}
