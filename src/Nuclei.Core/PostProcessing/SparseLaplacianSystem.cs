namespace Nuclei.Core.PostProcessing;

/// <summary>
/// The random walker's linear system for one connected piece of the mask, in CSR form: rows are the unlabelled
/// pixels, L_UU = D - W restricted to them (D = weighted degree over every neighbour in the piece, seeds included),
/// and the right-hand side for label k is the weight flowing in from neighbouring seeds of label k (−L_US·s_k).
/// Grady 2006, eq. (10); built as skimage's _build_linear_system does.
/// </summary>
internal sealed class SparseLaplacianSystem
{
    public int Size;            // unknowns
    public double[] Diagonal = Array.Empty<double>();
    public int[] RowStart = Array.Empty<int>();      // CSR over off-diagonal entries (neighbouring unknowns)
    public int[] Column = Array.Empty<int>();
    public double[] Weight = Array.Empty<double>();  // positive edge weights (the matrix entry is −weight)
    public int[] SeedRowStart = Array.Empty<int>();  // per row: seeds next to it
    public int[] SeedSlot = Array.Empty<int>();      // which label (index into the piece's label list)
    public double[] SeedWeight = Array.Empty<double>();

    /// <summary>y = A·x; returns p·(A·p) when x is p (fused dot product for CG).</summary>
    public double Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        double dot = 0;
        var rowStart = RowStart; var column = Column; var weight = Weight; var diagonal = Diagonal;
        for (int i = 0; i < Size; i++)
        {
            double sum = diagonal[i] * x[i];
            for (int k = rowStart[i], end = rowStart[i + 1]; k < end; k++) sum -= weight[k] * x[column[k]];
            y[i] = sum;
            dot += x[i] * sum;
        }
        return dot;
    }

    /// <summary>The right-hand side for label slot <paramref name="slot"/>.</summary>
    public void RightHandSide(int slot, Span<double> b)
    {
        b.Clear();
        for (int i = 0; i < Size; i++)
            for (int k = SeedRowStart[i], end = SeedRowStart[i + 1]; k < end; k++)
                if (SeedSlot[k] == slot) b[i] += SeedWeight[k];
    }
}
