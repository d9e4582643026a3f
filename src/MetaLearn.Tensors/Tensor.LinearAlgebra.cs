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
}
