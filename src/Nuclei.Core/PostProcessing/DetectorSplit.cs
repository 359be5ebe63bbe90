using Nuclei.Core.Imaging;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// A dense model's nuclei split where a detector sees several: the fusion of a U-Net and an instance detector in a mixed
/// ensemble. A dense model's errors on crowded nuclei are merges (one component over touching nuclei), a detector's
/// proposals separate them but their 28×28 masks outline less exactly; so the dense nuclei keep their pixels, and a
/// dense nucleus holding two or more detected nuclei (each at least half inside it and at least
/// <c>minPieceSize</c> pixels there) is divided among them: every pixel goes to the detected nucleus it lies in, the
/// others to the nearest one inside the dense nucleus (a marker-controlled watershed on a flat relief, Beucher and Meyer
/// 1993, with the detected nuclei as markers and the dense nucleus as the mask). Detections outside every dense nucleus
/// add nothing.
/// </summary>
internal static class DetectorSplit
{
    /// <summary>The nuclei of <paramref name="dense"/>, split by those of <paramref name="detected"/>, numbered 1..N.</summary>
    public static LabelImage Apply(LabelImage dense, LabelImage detected, int minPieceSize)
    {
        if (dense.Height != detected.Height || dense.Width != detected.Width)
            throw new ArgumentException($"label maps of {dense.Height}×{dense.Width} and {detected.Height}×{detected.Width} pixels");
        var owner = Owners(dense.Data, detected.Data, Math.Max(1, minPieceSize));
        var result = new int[dense.PixelCount];
        var queue = new Queue<int>();
        int next = dense.MaxLabel();   // new labels for the second and later piece of a split nucleus
        var pieceLabel = new Dictionary<(int Dense, int Detected), int>();
        var firstPiece = new HashSet<int>();
        for (int i = 0; i < result.Length; i++)
        {
            int d = dense.Data[i];
            if (d <= 0) continue;
            int k = detected.Data[i];
            if (!owner.TryGetValue(d, out var pieces)) result[i] = d;
            else if (k > 0 && pieces.Contains(k))
            {
                if (!pieceLabel.TryGetValue((d, k), out int label))
                    pieceLabel[(d, k)] = label = firstPiece.Add(d) ? d : ++next;
                result[i] = label;
                queue.Enqueue(i);
            }
        }
        GrowWithin(dense.Data, result, queue, dense.Width);
        for (int i = 0; i < result.Length; i++)   // a part of a split nucleus that no piece reaches stays with its first piece
            if (result[i] == 0 && dense.Data[i] > 0) result[i] = dense.Data[i];
        RelabelSequential.Apply(result);
        return new LabelImage(dense.Height, dense.Width, result);
    }

    /// <summary>Each dense nucleus holding two or more detected nuclei, with those detected nuclei.</summary>
    private static Dictionary<int, HashSet<int>> Owners(int[] dense, int[] detected, int minPieceSize)
    {
        var overlap = new Dictionary<(int Dense, int Detected), int>();
        var detectedArea = new Dictionary<int, int>();
        for (int i = 0; i < dense.Length; i++)
        {
            int k = detected[i];
            if (k <= 0) continue;
            detectedArea[k] = detectedArea.GetValueOrDefault(k) + 1;
            if (dense[i] > 0) overlap[(dense[i], k)] = overlap.GetValueOrDefault((dense[i], k)) + 1;
        }
        return overlap
            .Where(p => p.Value >= minPieceSize && 2 * p.Value >= detectedArea[p.Key.Detected])
            .GroupBy(p => p.Key.Dense)
            .Where(g => g.Count() >= 2)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Key.Detected).ToHashSet());
    }

    /// <summary>Breadth-first growth of the pixels inside detections into the unlabelled pixels of their own dense nucleus (4-connected).</summary>
    private static void GrowWithin(int[] dense, int[] result, Queue<int> queue, int width)
    {
        while (queue.Count > 0)
        {
            int i = queue.Dequeue();
            int y = i / width, x = i % width;
            if (x > 0) Visit(i - 1);
            if (x < width - 1) Visit(i + 1);
            if (y > 0) Visit(i - width);
            if (i + width < dense.Length) Visit(i + width);

            void Visit(int j)
            {
                if (result[j] != 0 || dense[j] != dense[i]) return;
                result[j] = result[i];
                queue.Enqueue(j);
            }
        }
    }
}
