namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Random walker segmentation (L. Grady, "Random Walks for Image Segmentation", IEEE TPAMI 28(11), 2006) with the
/// conventions of <c>skimage.segmentation.random_walker</c> (0.19, mode 'cg_j'): 4-neighbour graph, edge weight
/// exp(−β/(10·std(data))·Δ²) + 1e-10 (std over the whole image, as skimage's _compute_weights_3d), one system per
/// label solved by Jacobi-preconditioned conjugate gradient to tol·‖b‖, each pixel taking the label of highest
/// probability (lowest label on ties).
/// The mask's 4-connected pieces are independent systems, so each is handled on its own (in parallel): a piece with
/// one marker label takes it at once, a piece with none is left 0 (for the caller's missed-blob step; skimage would
/// leave it unlabelled too), and only pieces with two or more labels are solved, each over its own pixels only.
/// </summary>
public static class RandomWalker
{
    /// <param name="data">Gray values (e.g. the body probability) driving the edge weights.</param>
    /// <param name="markers">Seed labels &gt; 0; 0 = to be decided. Seeds outside the mask are ignored.</param>
    /// <param name="mask">Pixels that take part; empty span = the whole image (skimage's labels &lt; 0 are outside).</param>
    /// <param name="beta">Edge penalty (skimage default 130).</param>
    /// <param name="tol">CG relative tolerance (skimage default 1e-3).</param>
    public static int[] Run(int height, int width, ReadOnlySpan<float> data, ReadOnlySpan<int> markers,
        ReadOnlySpan<bool> mask = default, double beta = 130, double tol = 1e-3)
    {
        CvArrays.CheckSize(data.Length, height, width, "data");
        CvArrays.CheckSize(markers.Length, height, width, "markers");
        int n = height * width;
        bool[] active;
        if (mask.IsEmpty) { active = new bool[n]; Array.Fill(active, true); }
        else { CvArrays.CheckSize(mask.Length, height, width, "mask"); active = mask.ToArray(); }

        var result = new int[n];
        for (int i = 0; i < n; i++) result[i] = active[i] && markers[i] > 0 ? markers[i] : 0;

        // Pieces of the mask along graph edges (4-connected), and their pixels grouped by piece (counting sort).
        var piece = ConnectedComponents.Label(height, width, active, out int pieceCount, eightConnected: false);
        var start = new int[pieceCount + 2];
        foreach (int c in piece) if (c > 0) start[c + 1]++;
        for (int c = 1; c <= pieceCount + 1; c++) start[c] += start[c - 1];
        var pixels = new int[start[pieceCount + 1]];
        var fill = (int[])start.Clone();
        for (int i = 0; i < n; i++) if (piece[i] > 0) pixels[fill[piece[i]]++] = i;

        var toSolve = new List<(int Piece, int[] Labels)>();
        var seen = new HashSet<int>();
        for (int c = 1; c <= pieceCount; c++)
        {
            seen.Clear();
            for (int k = start[c]; k < start[c + 1]; k++) if (result[pixels[k]] > 0) seen.Add(result[pixels[k]]);
            if (seen.Count == 1)
            {
                int only = seen.First();
                for (int k = start[c]; k < start[c + 1]; k++) result[pixels[k]] = only;
            }
            else if (seen.Count >= 2)
            {
                var labels = seen.ToArray();
                Array.Sort(labels);
                toSolve.Add((c, labels));
            }
        }
        if (toSolve.Count == 0) return result;

        double scale = -beta / (10 * StandardDeviation(data));
        if (double.IsInfinity(scale) || double.IsNaN(scale)) scale = 0; // flat image: all edges weigh 1
        var values = data.ToArray();
        var localIndex = new int[n];
        // Largest pieces first so the parallel loop ends evenly.
        toSolve.Sort((a, b) => (start[b.Piece + 1] - start[b.Piece]).CompareTo(start[a.Piece + 1] - start[a.Piece]));
        Parallel.ForEach(toSolve, job =>
            SolvePiece(pixels.AsSpan(start[job.Piece], start[job.Piece + 1] - start[job.Piece]), job.Labels,
                       width, height, values, active, result, localIndex, scale, tol));
        return result;
    }

    static void SolvePiece(ReadOnlySpan<int> piecePixels, int[] labels, int width, int height, float[] data, bool[] active,
        int[] result, int[] localIndex, double scale, double tol)
    {
        // Number the unknowns of this piece (pieces are disjoint, so sharing localIndex across threads is safe).
        int m = 0;
        foreach (int g in piecePixels) if (result[g] == 0) localIndex[g] = m++;
        var unknown = new int[m];
        foreach (int g in piecePixels) if (result[g] == 0) unknown[localIndex[g]] = g;

        var system = new SparseLaplacianSystem
        {
            Size = m,
            Diagonal = new double[m],
            RowStart = new int[m + 1],
            Column = new int[4 * m],
            Weight = new double[4 * m],
            SeedRowStart = new int[m + 1],
            SeedSlot = new int[4 * m],
            SeedWeight = new double[4 * m],
        };
        int nnz = 0, seeds = 0;
        Span<int> neighbours = stackalloc int[4];
        for (int i = 0; i < m; i++)
        {
            int g = unknown[i], y = g / width, x = g - y * width, count = 0;
            if (y > 0) neighbours[count++] = g - width;
            if (x > 0) neighbours[count++] = g - 1;
            if (x < width - 1) neighbours[count++] = g + 1;
            if (y < height - 1) neighbours[count++] = g + width;
            double degree = 0;
            for (int k = 0; k < count; k++)
            {
                int nb = neighbours[k];
                if (!active[nb]) continue;
                double d = (double)data[g] - data[nb];
                double w = Math.Exp(scale * d * d) + 1e-10;
                degree += w;
                if (result[nb] == 0) { system.Column[nnz] = localIndex[nb]; system.Weight[nnz++] = w; }
                else { system.SeedSlot[seeds] = Array.BinarySearch(labels, result[nb]); system.SeedWeight[seeds++] = w; }
            }
            system.Diagonal[i] = degree;
            system.RowStart[i + 1] = nnz;
            system.SeedRowStart[i + 1] = seeds;
        }

        var b = new double[m]; var x0 = new double[m];
        var r = new double[m]; var z = new double[m]; var p = new double[m]; var q = new double[m];
        var best = new double[m];
        var bestSlot = new int[m];
        Array.Fill(best, double.NegativeInfinity);
        for (int slot = 0; slot < labels.Length; slot++)
        {
            system.RightHandSide(slot, b);
            ConjugateGradient.Solve(system, b, x0, tol, r, z, p, q);
            for (int i = 0; i < m; i++)
                if (x0[i] > best[i]) { best[i] = x0[i]; bestSlot[i] = slot; }
        }
        for (int i = 0; i < m; i++) result[unknown[i]] = labels[bestSlot[i]];
    }

    static double StandardDeviation(ReadOnlySpan<float> data)
    {
        double sum = 0;
        foreach (float v in data) sum += v;
        double mean = sum / data.Length, ss = 0;
        foreach (float v in data) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / data.Length);
    }
}
