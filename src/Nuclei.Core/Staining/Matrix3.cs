namespace Nuclei.Core.Staining;

/// <summary>3×3 matrix arithmetic for colour deconvolution.</summary>
internal static class Matrix3
{
    /// <summary>The inverse by the adjugate (cofactors over the determinant).</summary>
    public static double[,] Invert(double[,] m)
    {
        double a = m[0, 0], b = m[0, 1], c = m[0, 2], d = m[1, 0], e = m[1, 1], f = m[1, 2], g = m[2, 0], h = m[2, 1], i = m[2, 2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[,]
        {
            { (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det },
            { (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det },
            { (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det },
        };
    }

    /// <summary>The same matrix in single precision, for per-pixel loops.</summary>
    public static float[,] ToFloat(double[,] m)
    {
        var r = new float[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) r[i, j] = (float)m[i, j];
        return r;
    }
}
