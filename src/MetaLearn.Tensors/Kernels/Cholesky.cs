namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// The Cholesky factorization A = L·Lᵀ of one symmetric positive-definite matrix and the two triangular solves that use
/// it, on dense row-major double matrices (LAPACK's <c>potrf</c> and <c>potrs</c> with the lower triangle).
/// </summary>
/// <remarks>
/// Float32 tensors are solved in double too: the matrices these solves meet are small Gram matrices (ridge regression's
/// X·Xᵀ + λI), whose condition number is the square of X's, so single precision would lose half its digits.
/// </remarks>
internal static class Cholesky
{
    /// <summary>
    /// Writes L (lower triangle, zeros above) of the n × n matrix whose lower triangle is in <paramref name="a"/> into
    /// <paramref name="factor"/>. Returns −1, or the first column whose pivot was not positive (the matrix is not positive
    /// definite), with that pivot in <paramref name="pivot"/>.
    /// </summary>
    public static int Factor(ReadOnlySpan<double> a, Span<double> factor, int n, out double pivot)
    {
        factor.Clear();
        for (int j = 0; j < n; j++)
        {
            var rowJ = factor.Slice(j * n, j);
            double diagonal = a[(j * n) + j] - Dot(rowJ, rowJ);
            if (!(diagonal > 0) || !double.IsFinite(diagonal))
            {
                pivot = diagonal;
                return j;
            }

            double root = Math.Sqrt(diagonal);
            factor[(j * n) + j] = root;
            for (int i = j + 1; i < n; i++)
            {
                factor[(i * n) + j] = (a[(i * n) + j] - Dot(factor.Slice(i * n, j), rowJ)) / root;
            }
        }

        pivot = 0;
        return -1;
    }

    /// <summary>Overwrites the n × k matrix <paramref name="x"/> (holding B) with A⁻¹B = L⁻ᵀL⁻¹B, for L from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> factor, Span<double> x, int n, int k)
    {
        // L·Y = B, top row first: y_i = (b_i − Σ_{j<i} L_ij y_j) / L_ii, one row of k columns at a time.
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * k, k);
            for (int j = 0; j < i; j++)
            {
                Subtract(row, factor[(i * n) + j], x.Slice(j * k, k));
            }

            Scale(row, 1 / factor[(i * n) + i]);
        }

        // Lᵀ·X = Y, bottom row first: x_i = (y_i − Σ_{j>i} L_ji x_j) / L_ii.
        for (int i = n - 1; i >= 0; i--)
        {
            var row = x.Slice(i * k, k);
            for (int j = i + 1; j < n; j++)
            {
                Subtract(row, factor[(j * n) + i], x.Slice(j * k, k));
            }

            Scale(row, 1 / factor[(i * n) + i]);
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Subtract(Span<double> row, double scale, ReadOnlySpan<double> other)
    {
        for (int c = 0; c < row.Length; c++)
        {
            row[c] -= scale * other[c];
        }
    }

    private static void Scale(Span<double> row, double scale)
    {
        for (int c = 0; c < row.Length; c++)
        {
            row[c] *= scale;
        }
    }
}
