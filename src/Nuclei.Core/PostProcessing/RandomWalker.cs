using Nuclei.Core.Memory;

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
internal static class RandomWalker
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
        bool[] active = ActivePixels(height, width, mask);
        var result = new int[active.Length];
        for (int i = 0; i < result.Length; i++) result[i] = active[i] && markers[i] > 0 ? markers[i] : 0;

        var pieces = MaskPieces.Of(height, width, active);
        var toSolve = LabelUnambiguousPieces(pieces, result);
        if (toSolve.Count == 0) return result;

        double scale = -beta / (10 * StandardDeviation(data));
        if (double.IsInfinity(scale) || double.IsNaN(scale)) scale = 0; // flat image: all edges weigh 1
        var solutions = BuildPieces(toSolve, pieces, height, width, data.ToArray(), active, result, scale);
        SolveInParallel(solutions, tol);
        foreach (var p in solutions)
            for (int i = 0; i < p.Unknown.Length; i++) result[p.Unknown[i]] = p.Labels[p.BestSlot[i]];
        return result;
    }

    /// <summary>The pixels that take part: the mask's, or every pixel when the mask is empty.</summary>
    static bool[] ActivePixels(int height, int width, ReadOnlySpan<bool> mask)
    {
        if (mask.IsEmpty)
        {
            var all = new bool[height * width];
            Array.Fill(all, true);
            return all;
        }
        CvArrays.CheckSize(mask.Length, height, width, "mask");
        return mask.ToArray();
    }

    /// <summary>The pieces of the mask along graph edges (4-connected), with their pixels grouped by piece (counting sort).</summary>
    readonly record struct MaskPieces(int Count, int[] Start, int[] Pixels)
    {
        public ReadOnlySpan<int> PixelsOf(int piece) => Pixels.AsSpan(Start[piece], Start[piece + 1] - Start[piece]);

        public static MaskPieces Of(int height, int width, bool[] active)
        {
            var piece = ConnectedComponents.Label(height, width, active, out int count, eightConnected: false);
            var start = new int[count + 2];
            foreach (int c in piece) if (c > 0) start[c + 1]++;
            for (int c = 1; c <= count + 1; c++) start[c] += start[c - 1];
            var pixels = new int[start[count + 1]];
            var fill = (int[])start.Clone();
            for (int i = 0; i < piece.Length; i++) if (piece[i] > 0) pixels[fill[piece[i]]++] = i;
            return new MaskPieces(count, start, pixels);
        }
    }

    /// <summary>
    /// Gives every pixel of a piece with one marker label that label (pieces without markers stay 0) and returns the
    /// pieces left to solve, those with two or more labels, each with its labels in ascending order.
    /// </summary>
    static List<(int Piece, int[] Labels)> LabelUnambiguousPieces(MaskPieces pieces, int[] result)
    {
        var toSolve = new List<(int Piece, int[] Labels)>();
        var seen = new HashSet<int>();
        for (int c = 1; c <= pieces.Count; c++)
        {
            var pixels = pieces.PixelsOf(c);
            seen.Clear();
            foreach (int g in pixels) if (result[g] > 0) seen.Add(result[g]);
            if (seen.Count == 1)
            {
                int only = seen.First();
                foreach (int g in pixels) result[g] = only;
            }
            else if (seen.Count >= 2)
            {
                var labels = seen.ToArray();
                Array.Sort(labels);
                toSolve.Add((c, labels));
            }
        }
        return toSolve;
    }

    /// <summary>Every piece's system, built in parallel.</summary>
    static PieceSolution[] BuildPieces(List<(int Piece, int[] Labels)> toSolve, MaskPieces pieces, int height, int width,
        float[] data, bool[] active, int[] result, double scale)
    {
        var graph = new PixelGraph(width, height, data, active, result, scale);
        var localIndex = new int[active.Length];
        var built = new PieceSolution[toSolve.Count];
        Parallel.For(0, toSolve.Count, k =>
        {
            var (piece, labels) = toSolve[k];
            built[k] = BuildPiece(pieces.PixelsOf(piece), labels, graph, localIndex);
        });
        return built;
    }

    /// <summary>
    /// Solves the (piece, label) pairs in parallel, largest first: one big clump with many nuclei keeps both cores busy
    /// instead of one.
    /// </summary>
    static void SolveInParallel(PieceSolution[] pieces, double tol)
    {
        var jobs = new List<(PieceSolution Piece, int Slot)>();
        foreach (var p in pieces) for (int slot = 0; slot < p.Labels.Length; slot++) jobs.Add((p, slot));
        jobs.Sort((a, b) => b.Piece.System.Size.CompareTo(a.Piece.System.Size));
        Parallel.ForEach(jobs, job => job.Piece.Solve(job.Slot, tol));
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
            double[] b = ScratchArrays.Rent<double>(m), x = ScratchArrays.Rent<double>(m), r = ScratchArrays.Rent<double>(m),
                z = ScratchArrays.Rent<double>(m), p = ScratchArrays.Rent<double>(m), q = ScratchArrays.Rent<double>(m);
            try
            {
                System.RightHandSide(slot, b.AsSpan(0, m));
                ConjugateGradient.Solve(System, b.AsSpan(0, m), x, tol, r, z, p, q);
                lock (this)
                    for (int i = 0; i < m; i++)
                        // highest probability wins; on a tie the lowest label, whatever order the solves finish in
                        if (x[i] > Best[i] || (x[i] == Best[i] && slot < BestSlot[i])) { Best[i] = x[i]; BestSlot[i] = slot; }
            }
            finally { foreach (var a in new[] { b, x, r, z, p, q }) ScratchArrays.Return(a); }
        }
    }

    /// <summary>The image's 4-neighbour graph: the pixels taking part, their labels so far (0 = unknown) and the edge weights' scale.</summary>
    readonly record struct PixelGraph(int Width, int Height, float[] Data, bool[] Active, int[] Result, double Scale)
    {
        /// <summary>Writes the 4-neighbours of pixel <paramref name="g"/> inside the image (up, left, right, down) to <paramref name="into"/>; returns how many.</summary>
        public int Neighbours(int g, Span<int> into)
        {
            int y = g / Width, x = g - y * Width, count = 0;
            if (y > 0) into[count++] = g - Width;
            if (x > 0) into[count++] = g - 1;
            if (x < Width - 1) into[count++] = g + 1;
            if (y < Height - 1) into[count++] = g + Width;
            return count;
        }

        /// <summary>The edge weight of the class' formula, exp(scale·Δ²) + 1e-10.</summary>
        public double EdgeWeight(int g, int nb)
        {
            double d = (double)Data[g] - Data[nb];
            return Math.Exp(Scale * d * d) + 1e-10;
        }
    }

    static PieceSolution BuildPiece(ReadOnlySpan<int> piecePixels, int[] labels, PixelGraph graph, int[] localIndex)
    {
        int[] unknown = NumberUnknowns(piecePixels, graph.Result, localIndex);
        int m = unknown.Length;
        var system = EmptySystem(m);
        FillRows(system, unknown, labels, graph, localIndex);
        var best = new double[m];
        Array.Fill(best, double.NegativeInfinity);
        return new PieceSolution { System = system, Labels = labels, Unknown = unknown, Best = best, BestSlot = new int[m] };
    }

    /// <summary>Numbers the piece's unknown pixels 0..m-1 in <paramref name="localIndex"/>; returns their pixel indices in that order.</summary>
    static int[] NumberUnknowns(ReadOnlySpan<int> piecePixels, int[] result, int[] localIndex)
    {
        // Pieces are disjoint, so sharing localIndex across threads is safe.
        int m = 0;
        foreach (int g in piecePixels) if (result[g] == 0) localIndex[g] = m++;
        var unknown = new int[m];
        foreach (int g in piecePixels) if (result[g] == 0) unknown[localIndex[g]] = g;
        return unknown;
    }

    /// <summary>A system of <paramref name="m"/> unknowns with room for four neighbours per row.</summary>
    static SparseLaplacianSystem EmptySystem(int m) => new()
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

    /// <summary>
    /// Row i of the system for unknown pixel i: its degree on the diagonal, the weights to its unknown neighbours by
    /// column, and the weights to its seeded neighbours by label slot (the right-hand side's terms).
    /// </summary>
    static void FillRows(SparseLaplacianSystem system, int[] unknown, int[] labels, PixelGraph graph, int[] localIndex)
    {
        int nnz = 0, seeds = 0;
        Span<int> neighbours = stackalloc int[4];
        for (int i = 0; i < unknown.Length; i++)
        {
            int g = unknown[i], count = graph.Neighbours(g, neighbours);
            double degree = 0;
            for (int k = 0; k < count; k++)
            {
                int nb = neighbours[k];
                if (!graph.Active[nb]) continue;
                double w = graph.EdgeWeight(g, nb);
                degree += w;
                if (graph.Result[nb] == 0) { system.Column[nnz] = localIndex[nb]; system.Weight[nnz++] = w; }
                else { system.SeedSlot[seeds] = Array.BinarySearch(labels, graph.Result[nb]); system.SeedWeight[seeds++] = w; }
            }
            system.Diagonal[i] = degree;
            system.RowStart[i + 1] = nnz;
            system.SeedRowStart[i + 1] = seeds;
        }
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
