namespace MetaLearn.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product over the last two axes, with the leading (batch) axes broadcast: [..., m, k] @ [..., k, n] → [..., m, n].
    /// </summary>
    /// <param name="a">The left operand (rank ≥ 2).</param>
    /// <param name="b">The right operand (rank ≥ 2).</param>
    /// <param name="transposeA">Use the transpose of a's last two axes (no copy is made).</param>
    /// <param name="transposeB">Use the transpose of b's last two axes (no copy is made).</param>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false) => Ops.MatMul.Apply(a, b, transposeA, transposeB);

    /// <summary>This tensor matrix-multiplied by <paramref name="other"/>; see <see cref="MatMul(Tensor, Tensor, bool, bool)"/>.</summary>
    public Tensor MatMul(Tensor other) => Ops.MatMul.Apply(this, other);

    /// <summary>
    /// X = A⁻¹B for symmetric positive-definite matrices A [..., n, n] and right-hand sides B [..., n, k], by Cholesky
    /// factorization; the leading (batch) axes broadcast. Differentiable to any order in both operands.
    /// </summary>
    /// <remarks>
    /// Only A's lower triangle enters the factorization (LAPACK's <c>potrf</c>/<c>potrs</c>). The gradient of A is
    /// symmetric, −½(A⁻¹G·Xᵀ + X·(A⁻¹G)ᵀ), the convention of libtorch's <c>cholesky_solve</c> after <c>linalg.cholesky</c>:
    /// <c>torch.linalg.solve</c> returns the unsymmetrized −A⁻¹G·Xᵀ, which differs from it only by an antisymmetric part that
    /// no symmetric A (such as X·Xᵀ + λI) can feel. The solve runs in double precision for float32 operands too.
    /// </remarks>
    /// <param name="a">Symmetric positive-definite matrices [..., n, n] (rank ≥ 2).</param>
    /// <param name="b">The right-hand sides [..., n, k] (rank ≥ 2; reshape a vector to [n, 1]), of a's dtype.</param>
    /// <returns>X [broadcast batch..., n, k] with A·X = B.</returns>
    /// <exception cref="ArgumentException">A matrix of <paramref name="a"/> is not square, not symmetric or not positive definite;
    /// <paramref name="b"/> has the wrong number of rows; the batch axes do not broadcast; or the dtypes differ.</exception>
    public static Tensor SolveSpd(Tensor a, Tensor b) => Ops.SolveSpd.Apply(a, b);
}
