namespace MetaLearn.Tensors.Kernels.Providers;

/// <summary>
/// One implementation of the inner part of the matrix product: a block of rows of C = op(A)·B, with B already laid out as
/// rows. <see cref="Gemm"/> checks the arguments, transposes B when asked, and splits rows over threads; a kernel only
/// computes.
/// </summary>
/// <remarks>
/// The contract every implementation keeps, so that results never depend on the thread count or on how rows are split:
/// element (i, j) is the sum s = A[i, 0]·B[0, j] + … + A[i, k−1]·B[k−1, j] accumulated from zero in increasing p, one
/// multiply-add at a time (rounded once when <see cref="IsFused"/>), and C[i, j] becomes s, or C[i, j] + s with
/// <c>accumulate</c>. The product is computed whole before C is added, so a product into a bias equals the product plus the
/// bias. Kernels that are fused therefore agree bit for bit with each other and with <see cref="ScalarGemmKernel"/>.
/// </remarks>
internal interface IGemmKernel
{
    /// <summary>Which implementation this is.</summary>
    GemmKind Kind { get; }

    /// <summary>Whether every multiply-add rounds once, so the results equal the scalar reference's bit for bit.</summary>
    bool IsFused { get; }

    /// <summary>
    /// C rows [<paramref name="first"/>, <paramref name="last"/>) (+)= A·B, where A[i, p] is at
    /// a[i·<paramref name="rowStride"/> + p·<paramref name="columnStride"/>], B is [k, n] with its rows <paramref name="ldb"/>
    /// apart and C is [m, n], both row-major.
    /// </summary>
    /// <param name="a">The left operand, in either layout (the strides say which).</param>
    /// <param name="b">The right operand, <paramref name="k"/> rows of <paramref name="n"/> elements.</param>
    /// <param name="c">The result, rows of <paramref name="n"/> elements; only rows first to last − 1 are written.</param>
    /// <param name="first">The first row of C to compute.</param>
    /// <param name="last">One past the last row of C to compute.</param>
    /// <param name="n">The columns of B and C.</param>
    /// <param name="ldb">The distance between B's rows, at least <paramref name="n"/> (a window of a wider matrix when larger).</param>
    /// <param name="k">The length of the reduction (at least one).</param>
    /// <param name="rowStride">The distance between A's rows.</param>
    /// <param name="columnStride">The distance between A's columns.</param>
    /// <param name="accumulate">Add the product to C instead of overwriting it.</param>
    unsafe void MultiplyRows(float* a, float* b, float* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate);

    /// <inheritdoc cref="MultiplyRows(float*, float*, float*, int, int, int, int, int, int, int, bool)"/>
    unsafe void MultiplyRows(double* a, double* b, double* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate);
}
