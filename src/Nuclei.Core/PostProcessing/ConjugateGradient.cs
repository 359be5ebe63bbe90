namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Conjugate gradient with a Jacobi (diagonal) preconditioner for the random walker's symmetric positive definite
/// system, stopping when ‖r‖ ≤ tol·‖b‖ as scipy.sparse.linalg.cg(tol, atol=0) with M = diag(A)^-1 (skimage mode 'cg_j').
/// Hestenes &amp; Stiefel 1952; preconditioned form as in Saad, Iterative Methods for Sparse Linear Systems, alg. 9.1.
/// </summary>
internal static class ConjugateGradient
{
    /// <summary>Solves A·x = b from x = 0. Work arrays must hold Size elements. Returns the iterations used.</summary>
    public static int Solve(SparseLaplacianSystem a, ReadOnlySpan<double> b, Span<double> x, double tol,
        Span<double> r, Span<double> z, Span<double> p, Span<double> q, int maxIterations = 0)
    {
        int n = a.Size;
        if (maxIterations <= 0) maxIterations = 10 * n; // scipy's default
        var diag = a.Diagonal;
        double bNorm2 = 0;
        for (int i = 0; i < n; i++) bNorm2 += b[i] * b[i];
        x.Slice(0, n).Clear();
        if (bNorm2 == 0) return 0;
        double stop2 = tol * tol * bNorm2;

        double rz = 0;
        for (int i = 0; i < n; i++)
        {
            r[i] = b[i];
            z[i] = r[i] / diag[i];
            p[i] = z[i];
            rz += r[i] * z[i];
        }
        for (int it = 1; it <= maxIterations; it++)
        {
            double pq = a.Multiply(p, q);
            if (pq <= 0) return it; // breakdown: A is SPD, so only from round-off at convergence
            double alpha = rz / pq;
            double rNorm2 = 0, rzNew = 0;
            for (int i = 0; i < n; i++)
            {
                x[i] += alpha * p[i];
                double ri = r[i] - alpha * q[i];
                r[i] = ri;
                rNorm2 += ri * ri;
                double zi = ri / diag[i];
                z[i] = zi;
                rzNew += ri * zi;
            }
            if (rNorm2 <= stop2) return it;
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
        }
        return maxIterations;
    }
}
