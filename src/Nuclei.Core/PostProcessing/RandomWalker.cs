using System.Buffers;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Random walker segmentation (L. Grady, "Random Walks for Image Segmentation", IEEE TPAMI 28(11), 2006) with the
/// conventions of <c>skimage.segmentation.random_walker</c> (0.19, mode 'cg_j'): 4-neighbour graph, edge weight
/// exp(−β/(10·std(data))·Δ²) + 1e-10 (std over the whole image, as skimage's _compute_weights_3d), one system per
/// label solved by Jacobi-preconditioned conjugate gradient to tol·‖b‖, each pixel taking the label of highest
/// probability (lowest label on ties).
/// The mask's 4-connected pieces are independent systems, so each is handled on its own: a piece with
/// one marker label takes it at once, a piece with none is left 0 (for the caller's missed-blob step; skimage would
/// leave it unlabelled too), and only pieces with two or more labels are solved, each over its own pixels only,
/// the (piece, label) solves running in parallel.
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

        // Build every piece's system, then solve (piece, label) pairs in parallel, largest first: one big clump
        // with many nuclei keeps both cores busy instead of one.
        var pieces = new PieceSolution[toSolve.Count];
        Parallel.For(0, toSolve.Count, k =>
        {
            var (piece, labels) = toSolve[k];
            pieces[k] = BuildPiece(pixels.AsSpan(start[piece], start[piece + 1] - start[piece]), labels, width, height,
                                   values, active, result, localIndex, scale);
        });
        var jobs = new List<(PieceSolution Piece, int Slot)>();
        foreach (var p in pieces) for (int slot = 0; slot < p.Labels.Length; slot++) jobs.Add((p, slot));
        jobs.Sort((a, b) => b.Piece.System.Size.CompareTo(a.Piece.System.Size));
        Parallel.ForEach(jobs, job => job.Piece.Solve(job.Slot, tol));
        foreach (var p in pieces)
            for (int i = 0; i < p.Unknown.Length; i++) result[p.Unknown[i]] = p.Labels[p.BestSlot[i]];
        return result;
    }

    /// <summary>One piece's system and the running argmax over its labels' probabilities.</summary>
    sealed class PieceSolution
    {
        public required SparseLaplacianSystem System;
        public required int[] Labels;
        public required int[] Unknown;
        public required double[] Best;
        public required int[] BestSlot;

        public void Solve(int slot, double tol)
        {
            int m = System.Size;
            var pool = ArrayPool<double>.Shared;
            double[] b = pool.Rent(m), x = pool.Rent(m), r = pool.Rent(m), z = pool.Rent(m), p = pool.Rent(m), q = pool.Rent(m);
            try
            {
                System.RightHandSide(slot, b.AsSpan(0, m));
                ConjugateGradient.Solve(System, b.AsSpan(0, m), x, tol, r, z, p, q);
                lock (this)
                    for (int i = 0; i < m; i++)
                        // highest probability wins; on a tie the lowest label, whatever order the solves finish in
                        if (x[i] > Best[i] || (x[i] == Best[i] && slot < BestSlot[i])) { Best[i] = x[i]; BestSlot[i] = slot; }
            }
            finally { foreach (var a in new[] { b, x, r, z, p, q }) pool.Return(a); }
        }
    }

    static PieceSolution BuildPiece(ReadOnlySpan<int> piecePixels, int[] labels, int width, int height, float[] data, bool[] active,
        int[] result, int[] localIndex, double scale)
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

        var best = new double[m];
        Array.Fill(best, double.NegativeInfinity);
        return new PieceSolution { System = system, Labels = labels, Unknown = unknown, Best = best, BestSlot = new int[m] };
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
